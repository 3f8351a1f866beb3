"""Consultation models: questionnaires (sections, questions), responses, answers and actions."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, ForeignKey, String, Table, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.areas.models import District, Ward
from portal.auth.models import User
from portal.clock import utcnow
from portal.extensions import db

STATUSES = ("draft", "open", "closed", "published")
CHANNELS = ("online", "paper", "phone", "email", "import")
ACTION_STATUSES = ("planned", "in_progress", "done")

consultation_district = Table(
    "consultation_district",
    db.metadata,
    Column("consultation_id", ForeignKey("consultation.id", ondelete="CASCADE"), primary_key=True),
    Column("district_id", ForeignKey("district.id", ondelete="CASCADE"), primary_key=True),
)

consultation_action_district = Table(
    "consultation_action_district",
    db.metadata,
    Column("action_id", ForeignKey("consultation_action.id", ondelete="CASCADE"), primary_key=True),
    Column("district_id", ForeignKey("district.id", ondelete="CASCADE"), primary_key=True),
)


class Consultation(db.Model):
    """A questionnaire run in one or more districts (or countywide) between two dates."""

    __tablename__ = "consultation"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(Text, default="")
    background: Mapped[str] = mapped_column(Text, default="")
    audience_note: Mapped[str] = mapped_column(String(300), default="")
    countywide: Mapped[bool] = mapped_column(default=False)
    opens_on: Mapped[date | None]
    closes_on: Mapped[date | None]
    privacy_notice: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    results_summary: Mapped[str] = mapped_column(Text, default="")
    easy_read: Mapped[bool] = mapped_column(default=False, server_default=false())
    easy_read_summary: Mapped[str] = mapped_column(Text, default="", server_default="")
    # {language code: {field: text}}; see surveys.content for the fields and the fallback.
    translations: Mapped[dict[str, dict[str, Any]] | None] = mapped_column(JSON)
    copied_from_id: Mapped[int | None] = mapped_column(
        ForeignKey("consultation.id", ondelete="SET NULL")
    )
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    districts: Mapped[list[District]] = relationship(
        secondary=consultation_district, lazy="selectin", order_by=District.name
    )
    sections: Mapped[list[Section]] = relationship(
        back_populates="consultation",
        order_by="Section.position",
        cascade="all, delete-orphan",
        lazy="selectin",
    )
    actions: Mapped[list[Action]] = relationship(
        back_populates="consultation", order_by="Action.position", cascade="all, delete-orphan"
    )

    @property
    def questions(self) -> list[Question]:
        """Every question, in page then position order."""
        return [q for section in self.sections for q in section.questions]

    @property
    def area_label(self) -> str:
        """The districts covered, for listings."""
        if self.countywide or not self.districts:
            return "Warwickshire (countywide)"
        return ", ".join(d.name for d in self.districts)


class Section(db.Model):
    """One page of a questionnaire; an optional content note warns of sensitive questions."""

    __tablename__ = "consultation_section"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultation.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(200))
    intro: Mapped[str] = mapped_column(Text, default="")
    content_note: Mapped[str] = mapped_column(Text, default="")
    translations: Mapped[dict[str, dict[str, Any]] | None] = mapped_column(JSON)

    consultation: Mapped[Consultation] = relationship(back_populates="sections")
    questions: Mapped[list[Question]] = relationship(
        back_populates="section",
        order_by="Question.position",
        cascade="all, delete-orphan",
        lazy="selectin",
    )


class Question(db.Model):
    """A question on a page; `condition` (data, see surveys.routing) decides whether it shows."""

    __tablename__ = "consultation_question"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultation.id", ondelete="CASCADE"), index=True
    )
    section_id: Mapped[int] = mapped_column(
        ForeignKey("consultation_section.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    kind: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(String(500))
    hint: Mapped[str] = mapped_column(Text, default="")
    required: Mapped[bool] = mapped_column(default=False)
    options: Mapped[list[str] | None] = mapped_column(JSON)
    max_length: Mapped[int] = mapped_column(default=2000)
    condition: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # Option labels are translated by their English value: {"pl": {"options": {"Yes": "Tak"}}}.
    translations: Mapped[dict[str, dict[str, Any]] | None] = mapped_column(JSON)

    section: Mapped[Section] = relationship(back_populates="questions")

    @property
    def field_name(self) -> str:
        """Form field name for this question."""
        return f"q{self.id}"


class Response(db.Model):
    """One resident's (or one paper form's) answers: a draft until submitted."""

    __tablename__ = "consultation_response"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultation.id", ondelete="CASCADE"), index=True
    )
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    resume_code: Mapped[str] = mapped_column(String(16), unique=True)
    start_token: Mapped[str | None] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(16), default="draft", index=True)
    channel: Mapped[str] = mapped_column(String(16), default="online")
    entered_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    district_id: Mapped[int | None] = mapped_column(ForeignKey("district.id"), index=True)
    ward_id: Mapped[int | None] = mapped_column(ForeignKey("ward.id"))
    language: Mapped[str] = mapped_column(String(8), default="en")
    external_id: Mapped[str | None] = mapped_column(String(120))
    pages_done: Mapped[int] = mapped_column(default=0)
    support_keys: Mapped[list[str] | None] = mapped_column(JSON)
    honeypot: Mapped[bool] = mapped_column(default=False)
    fingerprint: Mapped[str | None] = mapped_column(String(64), index=True)
    duplicate_of_id: Mapped[int | None] = mapped_column(
        ForeignKey("consultation_response.id", ondelete="SET NULL")
    )
    excluded: Mapped[bool] = mapped_column(default=False)
    excluded_reason: Mapped[str] = mapped_column(String(200), default="")
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(index=True)
    expires_at: Mapped[datetime | None]

    consultation: Mapped[Consultation] = relationship()
    district: Mapped[District | None] = relationship()
    ward: Mapped[Ward | None] = relationship()
    entered_by: Mapped[User | None] = relationship()
    answers: Mapped[list[Answer]] = relationship(
        back_populates="response", cascade="all, delete-orphan", lazy="selectin"
    )


class Answer(db.Model):
    """The answer to one question in one response; free text is also kept in `text`."""

    __tablename__ = "consultation_answer"
    __table_args__ = (UniqueConstraint("response_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(
        ForeignKey("consultation_response.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[int] = mapped_column(
        ForeignKey("consultation_question.id", ondelete="CASCADE"), index=True
    )
    value: Mapped[Any] = mapped_column(JSON)
    text: Mapped[str | None] = mapped_column(Text)

    response: Mapped[Response] = relationship(back_populates="answers")


class Action(db.Model):
    """Something the partnership committed to after a consultation ("we did")."""

    __tablename__ = "consultation_action"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultation.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default="planned")

    consultation: Mapped[Consultation] = relationship(back_populates="actions")
    districts: Mapped[list[District]] = relationship(
        secondary=consultation_action_district, lazy="selectin", order_by=District.name
    )
