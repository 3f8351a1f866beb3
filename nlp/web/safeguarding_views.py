"""The safeguarding queue, for users with the safeguarding role."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSelect, GovSubmitInput, GovTextArea
from werkzeug.wrappers import Response
from wtforms import RadioField, SelectField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length

from nlp.web import safeguarding_services as services
from nlp.web.safeguarding_models import SafeguardingFlag
from portal.auth.roles import protect_blueprint

bp = Blueprint("safeguarding", __name__, url_prefix="/safeguarding", template_folder="templates")
protect_blueprint(bp, "safeguarding")

STATUS_LABELS = {
    "new": _l("New"),
    "reviewing": _l("Reviewing"),
    "referred": _l("Referred"),
    "no_action": _l("No action needed"),
}
CATEGORY_LABELS = {
    "risk_to_self": _l("Risk to self"),
    "risk_to_others": _l("Risk to others or weapons"),
    "domestic_abuse": _l("Domestic abuse"),
    "exploitation": _l("Child exploitation or grooming"),
    "crime_information": _l("Other crime information"),
    "none": _l("None"),
}


class TriageForm(FlaskForm):
    """Status, who is dealing with it, and what happened."""

    status = RadioField(
        _l("Status"),
        choices=[SelectChoice(k, v) for k, v in STATUS_LABELS.items()],
        widget=GovRadioInput(),
        validators=[InputRequired(_l("Select a status"))],
    )
    assignee = SelectField(_l("Assigned to"), coerce=int, widget=GovSelect())
    outcome = StringField(
        _l("Outcome"),
        widget=GovTextArea(),
        validators=[Length(max=5000, message=_l("Outcome must be 5,000 characters or fewer"))],
    )
    submit = SubmitField(_l("Save"), widget=GovSubmitInput())


class NoteForm(FlaskForm):
    """A note on a flag."""

    note = StringField(
        _l("Add a note"),
        widget=GovTextArea(),
        validators=[
            DataRequired(_l("Enter a note")),
            Length(max=5000, message=_l("Note must be 5,000 characters or fewer")),
        ],
    )
    submit_note = SubmitField(_l("Add note"), widget=GovSubmitInput())


def _assignee_choices() -> list[SelectChoice]:
    return [SelectChoice(0, _("Nobody yet"))] + [
        SelectChoice(u.id, u.name or u.email) for u in services.safeguarding_leads()
    ]


@bp.get("/")
def queue() -> str:
    """Open flags, most severe and oldest first, with time since received."""
    status = request.args.get("status")
    flags = services.queue(status)
    return render_template(
        "nlp/safeguarding/queue.html",
        flags=flags,
        status=status,
        counts=services.counts_by_status(),
        overdue={f.id for f in flags if services.is_overdue(f)},
        labels=STATUS_LABELS,
        categories=CATEGORY_LABELS,
    )


@bp.route("/flags/<int:flag_id>", methods=["GET", "POST"])
def flag(flag_id: int) -> Response | str:
    """One flag: the text, why it was flagged, triage and notes."""
    found: SafeguardingFlag | None = services.view_flag(flag_id)
    if found is None:
        abort(404)
    triage = TriageForm(
        prefix="triage",
        status=found.status,
        assignee=found.assignee_id or 0,
        outcome=found.outcome,
    )
    triage.assignee.choices = _assignee_choices()
    note = NoteForm(prefix="note")
    if request.method == "POST":
        if "note-submit_note" in request.form:
            if note.validate_on_submit():
                services.add_note(found, note.note.data.strip(), current_user.id)
                flash(_("Note added."))
                return redirect(url_for("safeguarding.flag", flag_id=flag_id))
            errors_form = note
        else:
            if triage.validate_on_submit():
                services.triage(
                    found,
                    triage.status.data,
                    triage.assignee.data or None,
                    (triage.outcome.data or "").strip(),
                    current_user.id,
                )
                flash(_("Saved."))
                return redirect(url_for("safeguarding.flag", flag_id=flag_id))
            errors_form = triage
    else:
        errors_form = None
    return render_template(
        "nlp/safeguarding/flag.html",
        flag=found,
        triage=triage,
        note=note,
        form=errors_form,
        overdue=services.is_overdue(found),
        labels=STATUS_LABELS,
        categories=CATEGORY_LABELS,
    ), (400 if errors_form is not None else 200)
