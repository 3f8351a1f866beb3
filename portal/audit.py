"""The audit log: one place that records who did what to which record."""

from __future__ import annotations

from typing import Any

from flask_login import current_user

from portal.auth.models import AuditEvent
from portal.extensions import db


def record(
    action: str,
    subject: str = "",
    detail: dict[str, Any] | None = None,
    note: str = "",
    user_id: int | None = None,
) -> AuditEvent:
    """Add an audit event to the session (committed with the change it describes)."""
    if user_id is None and current_user and getattr(current_user, "is_authenticated", False):
        user_id = current_user.id
    event = AuditEvent(action=action, subject=subject, detail=detail, note=note, user_id=user_id)
    db.session.add(event)
    return event
