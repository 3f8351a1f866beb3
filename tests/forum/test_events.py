"""Events: posting, the upcoming list and the iCalendar download."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select

from forum import events
from forum.models import Event
from portal.extensions import db
from tests.conftest import submit_form


def _future() -> date:
    return date.today() + timedelta(days=30)


def test_member_posts_event_and_it_is_listed(client, member) -> None:
    day = _future()
    response = submit_form(
        client,
        "/events/new",
        {
            "title": "Youth violence prevention forum, Rugby",
            "date": [str(day.day), str(day.month), str(day.year)],
            "start_time": "18:30",
            "end_time": "20:00",
            "location": "Rugby Library, Little Elborow Street",
            "district": "rugby",
            "description": "Open meeting; all **welcome**.",
        },
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    event = db.session.execute(select(Event)).scalar_one()
    assert event.district.slug == "rugby"
    listing = client.get("/events").get_data(as_text=True)
    assert "Youth violence prevention forum, Rugby" in listing
    page = client.get(f"/events/{event.id}").get_data(as_text=True)
    assert "<strong>welcome</strong>" in page


def test_event_form_errors_keep_input(client, member) -> None:
    response = submit_form(
        client,
        "/events/new",
        {
            "title": "Drop-in",
            "date": ["31", "2", "2030"],
            "start_time": "25:99",
            "end_time": "",
            "location": "",
            "description": "Keep me",
        },
    )
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "govuk-error-summary" in html
    assert "Enter a start time, like 18:30" in html
    assert "Enter the place, or say the event is online" in html
    assert "Keep me" in html and 'value="Drop-in"' in html
    # a date with the wrong number of parts is an error, not a crash
    response = submit_form(client, "/events/new", {"title": "X", "date": ["1"], "start_time": "1"})
    assert response.status_code == 200


def test_ics_download(client, member) -> None:
    start = datetime(2031, 7, 14, 18, 30)
    event = events.create_event(
        member,
        events.EventDetails(
            title="Summer; community, day",
            starts_local=start,
            ends_local=start + timedelta(hours=2),
            location="Pingles Leisure Centre, Nuneaton",
            online=False,
            online_url="",
            district_slug="nuneaton-and-bedworth",
            description="Line one\nLine two " + "long " * 30,
        ),
    )
    response = client.get(f"/events/{event.id}.ics")
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert "attachment" in response.headers["Content-Disposition"]
    body = response.get_data(as_text=True)
    assert body.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert "DTSTART:20310714T173000Z" in body  # 18:30 BST is 17:30 UTC
    assert "DTEND:20310714T193000Z" in body
    assert "SUMMARY:Summer\\; community\\, day" in body
    assert f"UID:forum-event-{event.id}@" in body
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    assert body.endswith("END:VEVENT\r\nEND:VCALENDAR\r\n")


def test_past_events_leave_the_list(client, member) -> None:
    events.create_event(
        member,
        events.EventDetails(
            "Long gone", datetime(2020, 1, 1, 10, 0), None, "Hall", False, "", "", "Old"
        ),
    )
    assert "Long gone" not in client.get("/events").get_data(as_text=True)
