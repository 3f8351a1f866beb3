"""Watching topics and categories, in-site notifications, and the email digest."""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import timedelta
from typing import Any

from flask import url_for
from sqlalchemy import delete, func, select, update

from forum.errors import _
from forum.markdown import plain_excerpt
from forum.models import Category, MemberProfile, Notification, Post, Topic, Watch
from forum.services import can_see_private, post_is_readable
from portal.auth.models import User
from portal.clock import utcnow
from portal.email import send_email
from portal.extensions import db

log = logging.getLogger(__name__)
DIGEST_FREQUENCIES = ("daily", "weekly")
DIGEST_CHOICES = ("none", *DIGEST_FREQUENCIES)


def _watch_filter(user_id: int, topic: Topic | None, category: Category | None) -> list[Any]:
    return [
        Watch.user_id == user_id,
        Watch.topic_id == topic.id if topic else Watch.topic_id.is_(None),
        Watch.category_id == category.id if category else Watch.category_id.is_(None),
    ]


def is_watching(user: Any, topic: Topic | None = None, category: Category | None = None) -> bool:
    """True when the member follows this topic or category."""
    if not getattr(user, "is_authenticated", False):
        return False
    return (
        db.session.execute(select(Watch.id).where(*_watch_filter(user.id, topic, category))).first()
        is not None
    )


def watch(user: User, topic: Topic | None = None, category: Category | None = None) -> None:
    """Follow a topic or category (idempotent; the caller commits)."""
    if not is_watching(user, topic, category):
        db.session.add(
            Watch(
                user_id=user.id,
                topic_id=topic.id if topic else None,
                category_id=category.id if category else None,
            )
        )
        db.session.flush()


def unwatch(user: User, topic: Topic | None = None, category: Category | None = None) -> None:
    """Stop following a topic or category."""
    db.session.execute(delete(Watch).where(*_watch_filter(user.id, topic, category)))
    db.session.commit()


def set_watching(
    user: User, watching: bool, topic: Topic | None = None, category: Category | None = None
) -> None:
    """Follow or stop following, then save."""
    if watching:
        watch(user, topic, category)
        db.session.commit()
    else:
        unwatch(user, topic, category)


def notify(
    user_id: int, kind: str, text: str, topic_id: int | None = None, post_id: int | None = None
) -> None:
    """Add an in-site notification (the caller commits)."""
    db.session.add(
        Notification(
            user_id=user_id, kind=kind, text=text[:300], topic_id=topic_id, post_id=post_id
        )
    )


def notify_new_post(post: Post) -> None:
    """Tell everyone watching the topic or its category about a newly public post."""
    topic = post.topic
    watcher_ids = set(
        db.session.execute(
            select(Watch.user_id).where(
                (Watch.topic_id == topic.id) | (Watch.category_id == topic.category_id)
            )
        ).scalars()
    )
    watcher_ids.discard(post.author_id)
    author = post.author.name if post.author else "Someone"
    kind = "new_topic" if post.is_first else "reply"
    text = (
        f"{author} started “{topic.title}”"
        if post.is_first
        else f"{author} replied to “{topic.title}”"
    )
    for user_id in watcher_ids:
        user = db.session.get(User, user_id)
        # Someone who has since lost access to a members-only category hears nothing of it.
        if user is None or (topic.category.members_only and not can_see_private(user)):
            continue
        notify(user_id, kind, text, topic_id=topic.id, post_id=post.id)
    db.session.commit()


def list_notifications(user: User, limit: int = 50) -> list[Notification]:
    """The member's notifications, newest first."""
    return list(
        db.session.execute(
            select(Notification)
            .where(Notification.user_id == user.id)
            .order_by(Notification.created_at.desc(), Notification.id.desc())
            .limit(limit)
        ).scalars()
    )


def unread_count(user: Any) -> int:
    """How many notifications the member has not opened."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return db.session.execute(
        select(func.count(Notification.id)).where(
            Notification.user_id == user.id, Notification.read_at.is_(None)
        )
    ).scalar_one()


def mark_all_read(user: User) -> None:
    """Mark every notification read."""
    db.session.execute(
        update(Notification)
        .where(Notification.user_id == user.id, Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    db.session.commit()


def digest_frequency(user: User) -> str:
    """The member's digest choice (weekly unless they chose otherwise)."""
    profile = db.session.get(MemberProfile, user.id)
    return profile.digest if profile else "weekly"


def set_digest_frequency(user: User, frequency: str) -> None:
    """Choose daily, weekly or no digest."""
    if frequency not in DIGEST_CHOICES:
        raise ValueError(frequency)
    from forum.moderation import profile_for

    profile_for(user).digest = frequency
    db.session.commit()


def send_digests(frequency: str) -> int:
    """Email each member choosing this frequency their un-emailed notifications; returns count.

    Members without a profile have the default (weekly). Posts hidden or deleted since the
    notification are left out, and so is anything in a category the member can no longer read.
    """
    if frequency not in DIGEST_FREQUENCIES:
        raise ValueError(frequency)
    window = timedelta(days=1 if frequency == "daily" else 7)
    pending = db.session.execute(
        select(Notification)
        .where(Notification.emailed_at.is_(None), Notification.created_at >= utcnow() - window * 4)
        .order_by(Notification.created_at)
    ).scalars()
    by_user: dict[int, list[Notification]] = defaultdict(list)
    for notification in pending:
        by_user[notification.user_id].append(notification)
    sent = 0
    for user_id, items in by_user.items():
        user = db.session.get(User, user_id)
        if user is None or not user.active or digest_frequency(user) != frequency:
            continue
        lines = _digest_lines(user, items)
        now = utcnow()
        for item in items:
            item.emailed_at = now
        if lines and send_email(
            user.email,
            _("Your Safer Warwickshire network digest"),
            "forum/email/digest.txt",
            user=user,
            lines=lines,
            frequency=frequency,
            settings_url=url_for("forum.notification_settings", _external=True),
        ):
            sent += 1
        db.session.commit()
    return sent


def _digest_lines(user: User, items: list[Notification]) -> list[dict[str, str]]:
    lines = []
    for item in items:
        post = db.session.get(Post, item.post_id) if item.post_id else None
        if post is not None:
            if not post_is_readable(post, user) or post.topic.deleted_at is not None:
                continue
            if post.topic.category.members_only and not can_see_private(user):
                continue
            link = url_for("forum.topic", topic_id=post.topic_id, _external=True)
            lines.append(
                {"text": item.text, "excerpt": plain_excerpt(post.body, 160), "link": link}
            )
        elif item.post_id is None:
            lines.append({"text": item.text, "excerpt": "", "link": ""})
    return lines
