"""Retention and erasure: `flask retention run` and the admin page that erases one response.

The portal may not import `surveys` (data flows the other way), so the factory hands in the
survey services that hold responses; anything with these four functions will do.
"""

from __future__ import annotations

import logging
import os
from datetime import datetime, timedelta
from typing import Any, Protocol

import click
from flask import (
    Blueprint,
    Flask,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextInput
from werkzeug.wrappers import Response
from wtforms import StringField, SubmitField
from wtforms.validators import DataRequired, Length, ValidationError

from portal import audit
from portal.auth.roles import protect_blueprint
from portal.clock import utcnow
from portal.extensions import db

log = logging.getLogger(__name__)
bp = Blueprint("retention", __name__, url_prefix="/staff/admin")
protect_blueprint(bp, "admin")


class ResponseStore(Protocol):
    """The survey services retention needs (surveys.services provides them)."""

    def purge_expired_drafts(self, now: datetime | None = None) -> int: ...

    def erase_contact_details(self, before: datetime) -> int: ...

    def erasure_summary(self, reference: str) -> dict[str, Any] | None: ...

    def erase_response(self, reference: str) -> bool: ...


def _store() -> ResponseStore:
    return current_app.extensions["retention_store"]


def run_retention(now: datetime | None = None) -> dict[str, int]:
    """Delete expired drafts and old contact details; audit and return the counts."""
    now = now or utcnow()
    days = int(current_app.config["RETENTION_CONTACT_DAYS"])
    store = _store()
    counts = {
        "expired_drafts_deleted": store.purge_expired_drafts(now),
        "contact_details_deleted": store.erase_contact_details(now - timedelta(days=days)),
        "contact_retention_days": days,
    }
    audit.record("retention.run", subject="retention", detail=counts)
    db.session.commit()
    log.info("retention run: %s", counts, extra={"fields": counts})
    return counts


class ReferenceForm(FlaskForm):
    """Step one: which response to erase."""

    reference = StringField(
        _l("Response reference"),
        description=_l("The reference the resident was given, like ABCD-EFGH-JKLM"),
        widget=GovTextInput(),
        validators=[
            DataRequired(_l("Enter the response reference")),
            Length(max=40, message=_l("A response reference is 40 characters or fewer")),
        ],
    )
    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())

    def validate_reference(self, field: StringField) -> None:
        summary = _store().erasure_summary(field.data)
        if summary is None:
            raise ValidationError(_l("No response has that reference: check it and try again"))
        self.summary = summary


class ConfirmForm(FlaskForm):
    """Step two: the admin confirms, having seen what will go."""

    submit = SubmitField(_l("Erase this response"), widget=GovSubmitInput())


@bp.route("/erase", methods=["GET", "POST"])
def erase() -> str | Response:
    """Ask for the reference of the response to erase."""
    form = ReferenceForm()
    if form.validate_on_submit():
        return redirect(url_for(".confirm", reference=form.summary["reference"]))
    return render_template("portal/admin/erase.html", form=form)


@bp.route("/erase/confirm", methods=["GET", "POST"])
def confirm() -> str | Response:
    """Show what will be erased, and erase it when confirmed."""
    reference = request.args.get("reference", "")
    summary = _store().erasure_summary(reference) if reference else None
    if summary is None:
        return redirect(url_for(".erase"))
    form = ConfirmForm()
    if form.validate_on_submit():
        # The audit event keeps the fact of the erasure, never the erased content.
        audit.record(
            "consultation.response_erased",
            subject=f"response:{summary['response_id']}",
            detail={"reference": summary["reference"], "answers": summary["answers"]},
        )
        _store().erase_response(summary["reference"])  # commits the audit event with it
        return redirect(url_for(".erased", reference=summary["reference"]))
    return render_template("portal/admin/erase_confirm.html", form=form, summary=summary)


@bp.get("/erase/done")
def erased() -> str:
    """Confirmation that the response has gone."""
    return render_template("portal/admin/erase_done.html", reference=request.args.get("reference"))


def init_app(app: Flask, store: ResponseStore) -> None:
    """Register the erasure pages and the `retention` CLI group."""
    app.config.setdefault(
        "RETENTION_CONTACT_DAYS", int(os.environ.get("RETENTION_CONTACT_DAYS", "365"))
    )
    app.extensions["retention_store"] = store
    app.register_blueprint(bp)

    @app.cli.group("retention")
    def retention_cli() -> None:
        """Delete personal data past its retention period."""

    @retention_cli.command("run")
    def run() -> None:
        """Delete expired drafts and contact details older than RETENTION_CONTACT_DAYS."""
        counts = run_retention()
        click.echo(
            f"Deleted {counts['expired_drafts_deleted']} expired draft(s) and "
            f"{counts['contact_details_deleted']} contact detail(s) older than "
            f"{counts['contact_retention_days']} days."
        )
