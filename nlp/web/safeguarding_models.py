"""Safeguarding flags: disclosures of harm spotted in answers and posts, and their triage."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.auth.models import User
from portal.clock import utcnow
from portal.extensions import db

TRIAGE_STATUSES = ("new", "reviewing", "referred", "no_action")


class SafeguardingFlag(db.Model):
    """One text that may disclose a risk of harm, kept for a safeguarding lead to act on.

    The text is copied so the record survives a resident deleting their response.
    """

    __tablename__ = "safeguarding_flag"

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(16))  # "consultation" or "forum"
    consultation_id: Mapped[int | None] = mapped_column(
        ForeignKey("consultation.id", ondelete="SET NULL"), index=True
    )
    response_id: Mapped[int | None] = mapped_column(
        ForeignKey("consultation_response.id", ondelete="SET NULL"), index=True
    )
    question_id: Mapped[int | None]
    post_id: Mapped[int | None] = mapped_column(index=True)
    text: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(32), index=True)
    severity: Mapped[str] = mapped_column(String(8), index=True)
    reasons: Mapped[list] = mapped_column(JSON, default=list)
    score: Mapped[float] = mapped_column(default=0.0)
    area: Mapped[str | None] = mapped_column(String(120))
    contact: Mapped[str | None] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(16), default="new", index=True)
    assignee_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    outcome: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    lead_notified_at: Mapped[datetime | None]

    assignee: Mapped[User | None] = relationship()
    notes: Mapped[list[SafeguardingNote]] = relationship(
        back_populates="flag", order_by="SafeguardingNote.id", cascade="all, delete-orphan"
    )


class SafeguardingNote(db.Model):
    """A note added to a flag by a safeguarding lead (notes are never edited)."""

    __tablename__ = "safeguarding_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    flag_id: Mapped[int] = mapped_column(
        ForeignKey("safeguarding_flag.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    text: Mapped[str] = mapped_column(Text)

    flag: Mapped[SafeguardingFlag] = relationship(back_populates="notes")
    user: Mapped[User | None] = relationship()
