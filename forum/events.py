"""Events: posting them, the upcoming list, and iCalendar downloads."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import select

from forum.markdown import plain_excerpt
from forum.models import Event
from forum.services import Page, paginate, posting_organisation
from portal.areas.models import District
from portal.auth.models import User
from portal.clock import utcnow
from portal.extensions import db

LOCAL = ZoneInfo("Europe/London")


@dataclass
class EventDetails:
    """What a member tells us about an event (times are UK local time)."""

    title: str
    starts_local: datetime
    ends_local: datetime | None
    location: str
    online: bool
    online_url: str
    district_slug: str
    description: str


def local_to_utc(moment: datetime) -> datetime:
    """A naive UK local time as naive UTC, as the database stores it."""
    return moment.replace(tzinfo=LOCAL).astimezone(UTC).replace(tzinfo=None)


def create_event(user: User, details: EventDetails) -> Event:
    """Post an event."""
    district = db.session.execute(
        select(District).where(District.slug == details.district_slug)
    ).scalar_one_or_none()
    event = Event(
        title=details.title.strip(),
        starts_at=local_to_utc(details.starts_local),
        ends_at=local_to_utc(details.ends_local) if details.ends_local else None,
        location=details.location.strip(),
        online=details.online,
        online_url=details.online_url.strip(),
        district_id=district.id if district else None,
        description=details.description.strip(),
        organiser_id=user.id,
        organisation_id=posting_organisation(user),
    )
    db.session.add(event)
    db.session.commit()
    return event


def upcoming_events(page: int) -> Page:
    """Visible events that have not finished, soonest first."""
    now = utcnow()
    query = (
        select(Event)
        .where(Event.status == "visible", Event.starts_at >= now - timedelta(hours=12))
        .order_by(Event.starts_at, Event.id)
    )
    return paginate(query, page, current_app.config["FORUM_EVENTS_PER_PAGE"])


def get_event(event_id: int) -> Event | None:
    """A visible event by id."""
    event = db.session.get(Event, event_id)
    return event if event is not None and event.status == "visible" else None


def _escape(value: str) -> str:
    return (
        value.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
        .replace("\r", "\\n")
    )


def _fold(line: str) -> str:
    # RFC 5545: lines longer than 75 octets continue on the next line after a space.
    encoded = line.encode("utf-8")
    if len(encoded) <= 75:
        return line
    parts, current = [], b""
    for char in line:
        piece = char.encode("utf-8")
        if len(current) + len(piece) > (75 if not parts else 74):
            parts.append(current.decode("utf-8"))
            current = b""
        current += piece
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y%m%dT%H%M%SZ")


def to_ics(event: Event, url: str, host: str = "safer-warwickshire.example") -> str:
    """The event as an iCalendar (RFC 5545) file."""
    ends = event.ends_at or event.starts_at + timedelta(hours=1)
    where = event.online_url or "Online" if event.online else event.location
    if event.online and event.location:
        where = f"{event.location} (also online)"
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Warwickshire Community Safety Partnership//Safer Warwickshire//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "BEGIN:VEVENT",
        f"UID:forum-event-{event.id}@{host}",
        f"DTSTAMP:{_stamp(utcnow())}",
        f"DTSTART:{_stamp(event.starts_at)}",
        f"DTEND:{_stamp(ends)}",
        f"SUMMARY:{_escape(event.title)}",
        f"DESCRIPTION:{_escape(plain_excerpt(event.description, 2000))}",
        f"LOCATION:{_escape(where)}",
        f"URL:{url}",
        "END:VEVENT",
        "END:VCALENDAR",
    ]
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
