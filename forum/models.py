"""Network forum models: organisations, categories, topics, posts, moderation, notifications."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.areas.models import District
from portal.auth.models import User
from portal.clock import utcnow
from portal.extensions import db

PILLARS: dict[str, str] = {
    "prevent": "Prevent",
    "respond": "Respond to immediate risk",
    "long-term": "Long-term support",
}
SERVICES: dict[str, str] = {
    "youth-work": "Youth work and activities",
    "mentoring": "Mentoring",
    "domestic-abuse": "Domestic abuse support",
    "sport": "Sport and physical activity",
    "education": "Education, training and employment",
    "mental-health": "Mental health and wellbeing",
    "substance-misuse": "Drug and alcohol support",
    "victim-support": "Support for victims and families",
    "faith": "Faith and community groups",
    "advice": "Advice and advocacy",
}
AGE_GROUPS: dict[str, str] = {
    "under-11": "Under 11",
    "11-17": "11 to 17",
    "18-25": "18 to 25",
    "adults": "Adults (26 and over)",
}
TAG_KINDS = {"pillar": PILLARS, "service": SERVICES, "age_group": AGE_GROUPS}

organisation_district = Table(
    "forum_organisation_district",
    db.metadata,
    Column(
        "organisation_id",
        ForeignKey("forum_organisation.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("district_id", ForeignKey("district.id", ondelete="CASCADE"), primary_key=True),
)


class Organisation(db.Model):
    """A voluntary or community group; listed in the directory once staff approve it."""

    __tablename__ = "forum_organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(140), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    registered_number: Mapped[str] = mapped_column(String(20), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    contact_name: Mapped[str] = mapped_column(String(120), default="")
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    website: Mapped[str] = mapped_column(String(300), default="")
    has_safeguarding_policy: Mapped[bool] = mapped_column(default=False)
    # pending → approved | rejected
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    registered_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    districts: Mapped[list[District]] = relationship(
        secondary=organisation_district, lazy="selectin", order_by="District.name"
    )
    tags: Mapped[list[OrganisationTag]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan", lazy="selectin"
    )
    registered_by: Mapped[User | None] = relationship(foreign_keys=[registered_by_id])

    def tag_values(self, kind: str) -> list[str]:
        """The organisation's values of one tag kind (pillar, service, age_group)."""
        return [t.value for t in self.tags if t.kind == kind]


class OrganisationTag(db.Model):
    """One pillar, service or age group an organisation works on (kept as rows to filter on)."""

    __tablename__ = "forum_organisation_tag"
    __table_args__ = (UniqueConstraint("organisation_id", "kind", "value"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("forum_organisation.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    value: Mapped[str] = mapped_column(String(32), index=True)

    organisation: Mapped[Organisation] = relationship(back_populates="tags")


class Membership(db.Model):
    """A person's place in an organisation: asked to join, approved, or its admin."""

    __tablename__ = "forum_membership"
    __table_args__ = (UniqueConstraint("organisation_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("forum_organisation.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    is_admin: Mapped[bool] = mapped_column(default=False)
    # pending → approved
    status: Mapped[str] = mapped_column(String(16), default="pending")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    organisation: Mapped[Organisation] = relationship()
    user: Mapped[User] = relationship()


class MemberProfile(db.Model):
    """Forum standing of an account: trust level, sanctions and digest choice."""

    __tablename__ = "forum_member"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    trust_level: Mapped[int] = mapped_column(default=0)
    approved_posts: Mapped[int] = mapped_column(default=0)
    # active | suspended | banned
    status: Mapped[str] = mapped_column(String(16), default="active")
    suspended_until: Mapped[datetime | None]
    warnings: Mapped[int] = mapped_column(default=0)
    # none | daily | weekly
    digest: Mapped[str] = mapped_column(String(8), default="weekly")
    last_post_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship()


class Category(db.Model):
    """A place for topics: a strategy pillar, a district, events, funding, or general."""

    __tablename__ = "forum_category"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(String(500), default="")
    members_only: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Topic(db.Model):
    """A discussion thread; its first post carries the opening text."""

    __tablename__ = "forum_topic"

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(
        ForeignKey("forum_category.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("forum_organisation.id", ondelete="SET NULL"), index=True
    )
    # visible | held (awaiting approval) | hidden (by a moderator)
    status: Mapped[str] = mapped_column(String(16), default="visible", index=True)
    pinned: Mapped[bool] = mapped_column(default=False)
    locked: Mapped[bool] = mapped_column(default=False)
    deleted_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_post_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    reply_count: Mapped[int] = mapped_column(default=0)

    category: Mapped[Category] = relationship()
    author: Mapped[User | None] = relationship()
    organisation: Mapped[Organisation | None] = relationship()


class Post(db.Model):
    """One message in a topic, written in Markdown."""

    __tablename__ = "forum_post"

    id: Mapped[int] = mapped_column(primary_key=True)
    topic_id: Mapped[int] = mapped_column(
        ForeignKey("forum_topic.id", ondelete="CASCADE"), index=True
    )
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), index=True
    )
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("forum_organisation.id", ondelete="SET NULL"), index=True
    )
    body: Mapped[str] = mapped_column(Text)
    is_first: Mapped[bool] = mapped_column(default=False)
    # visible | held (awaiting approval) | hidden (by a moderator or by reports)
    status: Mapped[str] = mapped_column(String(16), default="visible", index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    edited_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]
    deleted_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )

    topic: Mapped[Topic] = relationship()
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    organisation: Mapped[Organisation | None] = relationship()
    revisions: Mapped[list[PostRevision]] = relationship(
        back_populates="post", order_by="PostRevision.id", cascade="all, delete-orphan"
    )


class PostRevision(db.Model):
    """The text of a post before an edit, so the history is kept."""

    __tablename__ = "forum_post_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(
        ForeignKey("forum_post.id", ondelete="CASCADE"), index=True
    )
    body: Mapped[str] = mapped_column(Text)
    title: Mapped[str] = mapped_column(String(200), default="")
    edited_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    post: Mapped[Post] = relationship(back_populates="revisions")
    edited_by: Mapped[User | None] = relationship()


class Report(db.Model):
    """A member's (or the system's) concern about a post, waiting in the moderation queue."""

    __tablename__ = "forum_report"
    __table_args__ = (UniqueConstraint("post_id", "reporter_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(
        ForeignKey("forum_post.id", ondelete="CASCADE"), index=True
    )
    # None when the system raised it (safeguarding screening)
    reporter_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    reason: Mapped[str] = mapped_column(String(32))
    note: Mapped[str] = mapped_column(Text, default="")
    # open | resolved
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    resolution: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None]

    post: Mapped[Post] = relationship()
    reporter: Mapped[User | None] = relationship()


class Watch(db.Model):
    """A member following a topic or a whole category."""

    __tablename__ = "forum_watch"
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    topic_id: Mapped[int | None] = mapped_column(
        ForeignKey("forum_topic.id", ondelete="CASCADE"), index=True
    )
    category_id: Mapped[int | None] = mapped_column(
        ForeignKey("forum_category.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Notification(db.Model):
    """Something new for a member: shown in the site and gathered into their email digest."""

    __tablename__ = "forum_notification"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(String(300))
    topic_id: Mapped[int | None] = mapped_column(ForeignKey("forum_topic.id", ondelete="CASCADE"))
    post_id: Mapped[int | None] = mapped_column(ForeignKey("forum_post.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    read_at: Mapped[datetime | None]
    emailed_at: Mapped[datetime | None]


class TopicRead(db.Model):
    """When a member last read a topic, for unread markers."""

    __tablename__ = "forum_topic_read"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    topic_id: Mapped[int] = mapped_column(
        ForeignKey("forum_topic.id", ondelete="CASCADE"), primary_key=True
    )
    read_at: Mapped[datetime] = mapped_column(default=utcnow)


class Event(db.Model):
    """Something happening: a meeting, training, drop-in or community day."""

    __tablename__ = "forum_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(index=True)  # naive UTC
    ends_at: Mapped[datetime | None]
    location: Mapped[str] = mapped_column(String(300), default="")
    online: Mapped[bool] = mapped_column(default=False)
    online_url: Mapped[str] = mapped_column(String(300), default="")
    district_id: Mapped[int | None] = mapped_column(ForeignKey("district.id", ondelete="SET NULL"))
    description: Mapped[str] = mapped_column(Text, default="")
    organiser_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    organisation_id: Mapped[int | None] = mapped_column(
        ForeignKey("forum_organisation.id", ondelete="SET NULL")
    )
    # visible | hidden
    status: Mapped[str] = mapped_column(String(16), default="visible")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    district: Mapped[District | None] = relationship()
    organisation: Mapped[Organisation | None] = relationship()
    organiser: Mapped[User | None] = relationship()
