"""Event pages and the iCalendar download (on the forum blueprint)."""

from __future__ import annotations

from datetime import datetime

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from forum import events, services
from forum.access import member_required, post_limit, user_key
from forum.forms import EventForm, pairs, parse_time
from forum.views import _page, bp
from portal.areas.services import districts
from portal.extensions import limiter


@bp.get("/events")
def event_list() -> str:
    """Upcoming events, soonest first."""
    return render_template(
        "forum/events.html",
        events=events.upcoming_events(_page()),
        is_member=services.is_active_member(current_user),
    )


@bp.get("/events/<int:event_id>")
def event(event_id: int) -> str:
    """One event."""
    found = events.get_event(event_id)
    if found is None:
        abort(404)
    return render_template("forum/event.html", event=found)


@bp.get("/events/<int:event_id>.ics")
def event_ics(event_id: int) -> Response:
    """The event as an iCalendar file to add to a calendar."""
    found = events.get_event(event_id)
    if found is None:
        abort(404)
    body = events.to_ics(
        found, url_for("forum.event", event_id=found.id, _external=True), request.host
    )
    return Response(
        body,
        mimetype="text/calendar",
        headers={"Content-Disposition": f'attachment; filename="event-{found.id}.ics"'},
    )


@bp.route("/events/new", methods=["GET", "POST"])
@member_required
@limiter.limit(post_limit, key_func=user_key, methods=["POST"])
def new_event() -> Response | str:
    """Post an event."""
    form = EventForm()
    form.district.choices = pairs(
        [("", _("Anywhere in Warwickshire"))] + [(d.slug, d.name) for d in districts()]
    )
    if form.validate_on_submit():
        start = parse_time(form.start_time.data)
        end = parse_time(form.end_time.data)
        found = events.create_event(
            current_user,
            events.EventDetails(
                title=form.title.data,
                starts_local=datetime.combine(form.date.data, start),
                ends_local=datetime.combine(form.date.data, end) if end else None,
                location=form.location.data or "",
                online=bool(form.online.data),
                online_url=form.online_url.data or "",
                district_slug=form.district.data or "",
                description=form.description.data,
            ),
        )
        flash(_("Your event has been posted."))
        return redirect(url_for("forum.event", event_id=found.id))
    return render_template("forum/new_event.html", form=form)
