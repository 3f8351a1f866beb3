"""Safeguarding in the portal: screen saved answers and posts, keep flags, tell the leads.

Screening happens after the answer or post is committed and never stops it being saved.
"""

from __future__ import annotations

import logging
import threading
from datetime import timedelta
from typing import Any

from flask import Flask, current_app, url_for
from sqlalchemy import case, func, select

from nlp.web.safeguarding_models import TRIAGE_STATUSES, SafeguardingFlag, SafeguardingNote
from portal import audit
from portal.auth.models import Role, User, user_roles
from portal.clock import utcnow
from portal.email import send_email
from portal.extensions import db

log = logging.getLogger(__name__)
_warm = threading.Event()
_warming = threading.Lock()


def screener_is_warm() -> bool:
    """True once the screening models are loaded in this process."""
    return _warm.is_set()


def warm_up_in_background(app: Flask) -> None:
    """Load the screening models in a thread so the first resident does not wait for them."""
    if _warm.is_set() or not _warming.acquire(blocking=False):
        return

    def load() -> None:
        try:
            from nlp.safeguarding import warm_up

            warm_up()
            _warm.set()
        except Exception:  # noqa: BLE001 - screening falls back to background screening
            log.exception("safeguarding screener failed to warm up")
        finally:
            _warming.release()

    threading.Thread(target=load, name="safeguarding-warm-up", daemon=True).start()


def warm_up_now() -> None:
    """Load the screening models before a worker takes requests (gunicorn's post_worker_init)."""
    from nlp.safeguarding import warm_up

    warm_up()
    _warm.set()


def _screen(text: str) -> Any:
    from nlp.safeguarding import screen

    result = screen(text)
    _warm.set()
    return result


def screen_answer(response_id: int, question_id: int, text: str) -> list[str]:
    """The surveys hook: flag a disclosing answer; return the help contacts to show next."""
    if not current_app.config.get("SAFEGUARDING_SYNC") and not screener_is_warm():
        # Cold models would keep the resident waiting; screen in the background instead.
        _screen_later(current_app._get_current_object(), response_id, question_id, text)  # type: ignore[attr-defined]
        warm_up_in_background(current_app._get_current_object())  # type: ignore[attr-defined]
        return []
    return _flag_answer(response_id, question_id, text)


def _screen_later(app: Flask, response_id: int, question_id: int, text: str) -> None:
    def work() -> None:
        with app.app_context():
            try:
                _flag_answer(response_id, question_id, text)
            except Exception:  # noqa: BLE001 - logged; a lead can still find it by search
                log.exception("background screening failed for response %s", response_id)
            finally:
                db.session.remove()

    threading.Thread(target=work, name="safeguarding-screen", daemon=True).start()


def _flag_answer(response_id: int, question_id: int, text: str) -> list[str]:
    from nlp.safeguarding import support_for
    from surveys import services as surveys

    result = _screen(text)
    if not result.is_disclosure:
        return []
    context = surveys.response_context(response_id)
    existing = db.session.execute(
        select(SafeguardingFlag).where(
            SafeguardingFlag.response_id == response_id, SafeguardingFlag.question_id == question_id
        )
    ).scalar_one_or_none()
    flag = existing or SafeguardingFlag(
        source="consultation", response_id=response_id, question_id=question_id
    )
    flag.consultation_id = context.get("consultation_id")
    flag.area = context.get("district_name")
    flag.contact = context.get("contact")
    _fill(flag, text, result)
    if existing is None:
        db.session.add(flag)
    db.session.flush()
    audit.record(
        "safeguarding.flagged",
        f"safeguarding_flag:{flag.id}",
        {"source": "consultation", "category": flag.category, "severity": flag.severity},
        user_id=None,
    )
    db.session.commit()
    _notify_leads(flag)
    return support_for(result.category, result.severity)


def screen_post(post_id: int, text: str) -> bool:
    """The forum hook: flag a disclosing post (the forum also queues it for moderators)."""
    result = _screen(text)
    if not result.is_disclosure:
        return False
    flag = SafeguardingFlag(source="forum", post_id=post_id)
    _fill(flag, text, result)
    db.session.add(flag)
    db.session.flush()
    audit.record(
        "safeguarding.flagged",
        f"safeguarding_flag:{flag.id}",
        {"source": "forum", "category": flag.category, "severity": flag.severity},
        user_id=None,
    )
    db.session.commit()
    _notify_leads(flag)
    return True


def _fill(flag: SafeguardingFlag, text: str, result: Any) -> None:
    flag.text = text
    flag.category = result.category
    flag.severity = result.severity
    flag.reasons = list(result.reasons)
    flag.score = float(result.score)


def lead_emails() -> list[str]:
    """Who hears about high-severity flags: configured addresses, else safeguarding accounts."""
    configured = current_app.config.get("SAFEGUARDING_LEAD_EMAILS") or []
    if configured:
        return list(configured)
    return list(
        db.session.execute(
            select(User.email)
            .join(user_roles, user_roles.c.user_id == User.id)
            .join(Role, Role.id == user_roles.c.role_id)
            .where(Role.name == "safeguarding", User.active.is_(True))
        ).scalars()
    )


def _notify_leads(flag: SafeguardingFlag) -> None:
    """Email the leads about a high-severity flag; the email never contains the text."""
    if flag.severity != "high" or flag.lead_notified_at is not None:
        return
    recipients = lead_emails()
    if not recipients:
        log.warning("high-severity safeguarding flag %s but no lead to tell", flag.id)
        return
    link = url_for("safeguarding.flag", flag_id=flag.id, _external=True) if _has_request() else ""
    if send_email(
        recipients,
        "Safer Warwickshire: urgent safeguarding concern",
        "nlp/email/safeguarding_alert.txt",
        flag=flag,
        link=link,
    ):
        flag.lead_notified_at = utcnow()
        db.session.commit()


def _has_request() -> bool:
    from flask import has_request_context

    return has_request_context()


def blocked_response_ids(consultation_id: int) -> set[int]:
    """Responses that raised a concern: never quoted in public."""
    return {
        rid
        for rid in db.session.execute(
            select(SafeguardingFlag.response_id).where(
                SafeguardingFlag.consultation_id == consultation_id,
                SafeguardingFlag.response_id.is_not(None),
            )
        ).scalars()
    }


# --- the queue -------------------------------------------------------------------------------


def queue(status: str | None = None) -> list[SafeguardingFlag]:
    """Flags, most severe and oldest first; by default everything still open."""
    query = select(SafeguardingFlag)
    if status in TRIAGE_STATUSES:
        query = query.where(SafeguardingFlag.status == status)
    elif status != "all":
        query = query.where(SafeguardingFlag.status.in_(("new", "reviewing")))
    severity_order = case(
        {"high": 0, "medium": 1, "low": 2}, value=SafeguardingFlag.severity, else_=3
    )
    return list(
        db.session.execute(query.order_by(severity_order, SafeguardingFlag.created_at)).scalars()
    )


def counts_by_status() -> dict[str, int]:
    """How many flags are in each triage status."""
    rows = db.session.execute(
        select(SafeguardingFlag.status, func.count()).group_by(SafeguardingFlag.status)
    )
    return {status: n for status, n in rows}


def is_overdue(flag: SafeguardingFlag) -> bool:
    """Still open past the response target."""
    target = timedelta(hours=current_app.config.get("SAFEGUARDING_TARGET_HOURS", 24))
    return flag.status in {"new", "reviewing"} and utcnow() - flag.created_at > target


def view_flag(flag_id: int) -> SafeguardingFlag | None:
    """Open a flag (each view is audited)."""
    flag = db.session.get(SafeguardingFlag, flag_id)
    if flag is not None:
        audit.record("safeguarding.viewed", f"safeguarding_flag:{flag.id}")
        db.session.commit()
    return flag


def safeguarding_leads() -> list[User]:
    """Accounts that can be assigned a flag."""
    return list(
        db.session.execute(
            select(User)
            .join(user_roles, user_roles.c.user_id == User.id)
            .join(Role, Role.id == user_roles.c.role_id)
            .where(Role.name.in_(("safeguarding", "admin")), User.active.is_(True))
            .order_by(User.email)
        )
        .scalars()
        .unique()
    )


def triage(
    flag: SafeguardingFlag, status: str, assignee_id: int | None, outcome: str, user_id: int
) -> None:
    """Set status, assignee and outcome, recorded in the audit log."""
    before = {"status": flag.status, "assignee_id": flag.assignee_id, "outcome": flag.outcome}
    flag.status, flag.assignee_id, flag.outcome = status, assignee_id, outcome
    audit.record(
        "safeguarding.triaged",
        f"safeguarding_flag:{flag.id}",
        {
            "before": before,
            "after": {"status": status, "assignee_id": assignee_id, "outcome": outcome},
        },
        user_id=user_id,
    )
    db.session.commit()


def add_note(flag: SafeguardingFlag, text: str, user_id: int) -> None:
    """Add a note to a flag."""
    flag.notes.append(SafeguardingNote(text=text, user_id=user_id))
    audit.record("safeguarding.note_added", f"safeguarding_flag:{flag.id}", user_id=user_id)
    db.session.commit()
