"""Theme analysis records: runs, themes, each answer's theme, curation decisions, and the
embedding cache. A run's themes become visible only when the whole run has been written."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.clock import utcnow
from portal.extensions import db

RUN_STATUSES = ("queued", "running", "finished", "failed", "too_few")


class ThemeRun(db.Model):
    """One theme analysis of one free-text question of a consultation."""

    __tablename__ = "theme_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    consultation_id: Mapped[int] = mapped_column(
        ForeignKey("consultation.id", ondelete="CASCADE"), index=True
    )
    question_id: Mapped[int] = mapped_column(
        ForeignKey("consultation_question.id", ondelete="CASCADE"), index=True
    )
    job_id: Mapped[str | None] = mapped_column(ForeignKey("job.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(16), default="queued", index=True)
    seed: Mapped[int] = mapped_column(default=42)
    codeframe: Mapped[list] = mapped_column(JSON, default=list)
    run_info: Mapped[dict | None] = mapped_column(JSON)
    answer_count: Mapped[int] = mapped_column(default=0)
    set_aside: Mapped[list] = mapped_column(JSON, default=list)
    message: Mapped[str] = mapped_column(Text, default="")
    areas: Mapped[list] = mapped_column(JSON, default=list)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]

    themes: Mapped[list[Theme]] = relationship(
        back_populates="run", cascade="all, delete-orphan", order_by="Theme.position"
    )


class Theme(db.Model):
    """A theme of a run, as the model found it and as staff curated it."""

    __tablename__ = "theme"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("theme_run.id", ondelete="CASCADE"), index=True)
    engine_id: Mapped[int] = mapped_column(default=0)
    position: Mapped[int] = mapped_column(default=0)
    label: Mapped[str] = mapped_column(String(200))
    model_label: Mapped[str] = mapped_column(String(200), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    keywords: Mapped[list] = mapped_column(JSON, default=list)
    key_phrases: Mapped[list] = mapped_column(JSON, default=list)
    is_other: Mapped[bool] = mapped_column(default=False)
    is_near_empty: Mapped[bool] = mapped_column(default=False)
    is_campaign: Mapped[bool] = mapped_column(default=False)
    codeframe_name: Mapped[str | None] = mapped_column(String(200))
    quotes: Mapped[list] = mapped_column(JSON, default=list)
    quotes_by_area: Mapped[dict] = mapped_column(JSON, default=dict)
    representation: Mapped[list] = mapped_column(JSON, default=list)
    pinned_response_ids: Mapped[list] = mapped_column(JSON, default=list)
    notes: Mapped[str] = mapped_column(Text, default="")
    reviewed: Mapped[bool] = mapped_column(default=False)
    published: Mapped[bool] = mapped_column(default=False)
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("theme.id", ondelete="SET NULL"))

    run: Mapped[ThemeRun] = relationship(back_populates="themes")


class ThemeAssignment(db.Model):
    """Which theme one answer is in, and whether the model or a person put it there."""

    __tablename__ = "theme_assignment"
    __table_args__ = (Index("ix_theme_assignment_run_response", "run_id", "response_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("theme_run.id", ondelete="CASCADE"))
    theme_id: Mapped[int] = mapped_column(ForeignKey("theme.id", ondelete="CASCADE"), index=True)
    response_id: Mapped[int] = mapped_column(
        ForeignKey("consultation_response.id", ondelete="CASCADE")
    )
    area: Mapped[str | None] = mapped_column(String(120))
    text_redacted: Mapped[str] = mapped_column(Text, default="")
    probability: Mapped[float] = mapped_column(default=0.0)
    is_outlier: Mapped[bool] = mapped_column(default=False)
    near_empty: Mapped[bool] = mapped_column(default=False)
    campaign_id: Mapped[int | None]
    language: Mapped[str] = mapped_column(String(8), default="en")
    source: Mapped[str] = mapped_column(String(8), default="model")  # "model" or "person"
    excluded: Mapped[bool] = mapped_column(default=False)


class ThemeDecision(db.Model):
    """One curation decision (rename, merge, split, move, exclude, pin, publish...): who, when."""

    __tablename__ = "theme_decision"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("theme_run.id", ondelete="CASCADE"), index=True)
    theme_id: Mapped[int | None] = mapped_column(ForeignKey("theme.id", ondelete="SET NULL"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(default=utcnow)
    action: Mapped[str] = mapped_column(String(32))
    detail: Mapped[dict] = mapped_column(JSON, default=dict)


class EmbeddingCacheEntry(db.Model):
    """A cached sentence embedding, keyed by model and text hash, so re-runs embed only new text."""

    __tablename__ = "embedding_cache"

    model: Mapped[str] = mapped_column(String(200), primary_key=True)
    text_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    vector: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
