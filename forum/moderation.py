"""Moderation and trust: reports, the queue, hiding, sanctions, and new members' limits."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import func, select

from forum import markdown
from forum.errors import ForumRefusal, _
from forum.models import MemberProfile, Post, Report, Topic
from forum.services import is_active_member, is_moderator, make_post_public
from portal import audit
from portal.auth.models import AuditEvent, User
from portal.clock import utcnow
from portal.extensions import db

REPORT_REASONS: dict[str, str] = {
    "abusive": "Abusive, threatening or hateful",
    "personal-information": "Shares someone's personal information",
    "spam": "Spam or advertising",
    "off-topic": "Off-topic or in the wrong place",
    "worried": "I am worried about someone's safety",
    "other": "Something else",
}
SAFEGUARDING_REASON = "safeguarding"


# --- member standing and trust -----------------------------------------------------------


def profile_for(user: User) -> MemberProfile:
    """The member's forum profile, created at trust level 0 on first use."""
    profile = db.session.get(MemberProfile, user.id)
    if profile is None:
        profile = MemberProfile(user_id=user.id)
        db.session.add(profile)
        db.session.flush()
    return profile


def trust_limits(level: int) -> dict[str, Any]:
    """The configured limits for a trust level (the highest defined level applies above it)."""
    levels = current_app.config["FORUM_TRUST_LEVELS"]
    key = max((k for k in levels if int(k) <= level), default=min(levels), key=int)
    return levels[key]


def _lift_expired_suspension(profile: MemberProfile) -> None:
    if (
        profile.status == "suspended"
        and profile.suspended_until
        and profile.suspended_until <= (utcnow())
    ):
        profile.status = "active"
        profile.suspended_until = None


def standing_problem(user: User) -> str | None:
    """Why the member may not post or report now, or None when they may."""
    if not is_active_member(user):
        return _("Confirm your account before you take part in the forum.")
    profile = profile_for(user)
    _lift_expired_suspension(profile)
    if profile.status == "banned":
        return _("Your account has been banned from the forum.")
    if profile.status == "suspended":
        return _(
            "Your account is suspended from the forum until %(when)s.",
            when=profile.suspended_until.strftime("%d %B %Y %H:%M")
            if profile.suspended_until
            else "",
        )
    return None


def check_links(user: User, body: str) -> None:
    """Refuse text with more links than the member's trust level allows."""
    if is_moderator(user):
        return
    limit = int(trust_limits(profile_for(user).trust_level)["max_links"])
    if markdown.count_links(body) > limit:
        raise ForumRefusal(
            _(
                "New members can include up to %(n)d links in a post. Remove some links, "
                "or wait until you have taken part a little more.",
                n=limit,
            )
        )


def check_can_post(user: User, body: str) -> str:
    """Apply sanctions and trust limits; return the status a new post starts with."""
    problem = standing_problem(user)
    if problem:
        raise ForumRefusal(problem)
    if is_moderator(user):
        return "visible"
    profile = profile_for(user)
    limits = trust_limits(profile.trust_level)
    check_links(user, body)
    wait = int(limits.get("seconds_between_posts", 0))
    if wait and profile.last_post_at and profile.last_post_at > utcnow() - timedelta(seconds=wait):
        raise ForumRefusal(
            _(
                "New members can post once every %(n)d seconds. Wait a moment, then try again.",
                n=wait,
            )
        )
    return "held" if limits.get("hold_posts") else "visible"


def note_posted(user: User, at: datetime) -> None:
    """Remember when the member last posted (for the slower-posting limit)."""
    profile_for(user).last_post_at = at


def _credit_approved_post(author_id: int | None) -> None:
    if author_id is None:
        return
    profile = db.session.get(MemberProfile, author_id)
    if profile is None:
        return
    profile.approved_posts += 1
    promotions = current_app.config["FORUM_TRUST_PROMOTION"]
    for level, needed in sorted(((int(k), int(v)) for k, v in promotions.items())):
        if profile.trust_level < level and profile.approved_posts >= needed:
            profile.trust_level = level
            audit.record(
                "forum.trust_level_raised",
                f"user:{author_id}",
                {"trust_level": level, "approved_posts": profile.approved_posts},
            )


# --- reports -----------------------------------------------------------------------------


def report_post(user: User, post: Post, reason: str, note: str = "") -> Report:
    """A member reports a post; enough reports from different members hide it for review."""
    problem = standing_problem(user)
    if problem:
        raise ForumRefusal(problem)
    if reason not in REPORT_REASONS:
        raise ForumRefusal(_("Select why you are reporting this post"))
    existing = db.session.execute(
        select(Report).where(Report.post_id == post.id, Report.reporter_id == user.id)
    ).scalar_one_or_none()
    if existing is not None:
        existing.reason, existing.note, existing.status = reason, note.strip(), "open"
        report = existing
    else:
        report = Report(post_id=post.id, reporter_id=user.id, reason=reason, note=note.strip())
        db.session.add(report)
    db.session.flush()
    reporters = db.session.execute(
        select(func.count(func.distinct(Report.reporter_id))).where(
            Report.post_id == post.id, Report.status == "open", Report.reporter_id.is_not(None)
        )
    ).scalar_one()
    if post.status == "visible" and reporters >= current_app.config["FORUM_AUTO_HIDE_REPORTS"]:
        post.status = "hidden"
        audit.record(
            "forum.post_auto_hidden",
            f"forum_post:{post.id}",
            {"reports": reporters},
            note="Hidden for review after reports from different members",
            user_id=None,
        )
    db.session.commit()
    return report


def flag_for_safeguarding(post_id: int) -> None:
    """Put a post in the queue for a safeguarding check, raised by the system, not the author."""
    already = db.session.execute(
        select(Report.id).where(
            Report.post_id == post_id,
            Report.reason == SAFEGUARDING_REASON,
            Report.reporter_id.is_(None),
            Report.status == "open",
        )
    ).first()
    if already is None:
        db.session.add(Report(post_id=post_id, reporter_id=None, reason=SAFEGUARDING_REASON))
        audit.record("forum.post_flagged_safeguarding", f"forum_post:{post_id}", user_id=None)
        db.session.commit()


@dataclass
class QueueItem:
    """A post waiting for a moderator, with every open report about it."""

    post: Post
    reports: list[Report] = field(default_factory=list)

    @property
    def safeguarding(self) -> bool:
        return any(r.reason == SAFEGUARDING_REASON for r in self.reports)


def moderation_queue() -> tuple[list[QueueItem], list[Post]]:
    """Reported posts (safeguarding first, then most reported) and posts held for approval."""
    reports = db.session.execute(
        select(Report).where(Report.status == "open").order_by(Report.created_at)
    ).scalars()
    by_post: dict[int, QueueItem] = {}
    for report in reports:
        by_post.setdefault(report.post_id, QueueItem(report.post)).reports.append(report)
    items = sorted(by_post.values(), key=lambda i: (not i.safeguarding, -len(i.reports)))
    held = list(
        db.session.execute(
            select(Post)
            .where(Post.status == "held", Post.deleted_at.is_(None))
            .order_by(Post.created_at)
        ).scalars()
    )
    return items, held


def get_post_for_moderation(post_id: int) -> Post | None:
    """Any post by id, whatever its state (moderators only)."""
    return db.session.get(Post, post_id)


def get_topic_for_moderation(topic_id: int) -> Topic | None:
    """Any topic by id, whatever its state (moderators only)."""
    return db.session.get(Topic, topic_id)


def open_reports(post: Post) -> list[Report]:
    """Open reports about a post."""
    return list(
        db.session.execute(
            select(Report).where(Report.post_id == post.id, Report.status == "open")
        ).scalars()
    )


def _resolve_reports(post: Post, resolution: str) -> None:
    for report in open_reports(post):
        report.status, report.resolution, report.resolved_at = "resolved", resolution, utcnow()


def hide_post(moderator: User, post: Post, reason: str) -> None:
    """Hide a post from everyone but moderators; a hidden first post hides its topic."""
    post.status = "hidden"
    if post.is_first:
        post.topic.status = "hidden"
    _resolve_reports(post, f"hidden: {reason}")
    audit.record("forum.post_hidden", f"forum_post:{post.id}", note=reason)
    db.session.commit()


def restore_post(moderator: User, post: Post, reason: str) -> None:
    """Show a hidden post again and close its reports."""
    was_held = post.status == "held"
    make_post_public(post)
    if post.is_first:
        post.topic.status = "visible"
    _resolve_reports(post, f"restored: {reason}")
    audit.record("forum.post_restored", f"forum_post:{post.id}", note=reason)
    if was_held:
        _credit_approved_post(post.author_id)
    db.session.commit()


def approve_post(moderator: User, post: Post, reason: str = "") -> None:
    """Let a held post through; approved posts build the author's trust."""
    if post.status != "held":
        return
    make_post_public(post)
    audit.record("forum.post_approved", f"forum_post:{post.id}", note=reason)
    _credit_approved_post(post.author_id)
    db.session.commit()
    from forum import notifications

    notifications.notify_new_post(post)


def dismiss_reports(moderator: User, post: Post, reason: str) -> None:
    """Close a post's reports without acting on it (a hidden-by-reports post is shown again)."""
    if post.status == "hidden":
        make_post_public(post)
        if post.is_first:
            post.topic.status = "visible"
    _resolve_reports(post, f"dismissed: {reason}")
    audit.record("forum.reports_dismissed", f"forum_post:{post.id}", note=reason)
    db.session.commit()


# --- sanctions ---------------------------------------------------------------------------

SANCTIONS = ("warn", "suspend", "ban", "reinstate")


def sanction_member(moderator: User, member: User, action: str, reason: str, days: int = 0) -> None:
    """Warn, suspend (for some days), ban or reinstate a member, with the reason audited."""
    if action not in SANCTIONS:
        raise ValueError(action)
    profile = profile_for(member)
    detail: dict[str, Any] = {}
    if action == "warn":
        profile.warnings += 1
        detail["warnings"] = profile.warnings
    elif action == "suspend":
        profile.status = "suspended"
        profile.suspended_until = utcnow() + timedelta(days=max(1, days))
        detail["until"] = profile.suspended_until.isoformat(timespec="minutes")
    elif action == "ban":
        profile.status = "banned"
        profile.suspended_until = None
    else:
        profile.status = "active"
        profile.suspended_until = None
    audit.record(f"forum.member_{action}", f"user:{member.id}", detail, note=reason)
    from forum import notifications

    notifications.notify(
        member.id,
        "moderation",
        {
            "warn": "A moderator has sent you a warning: %(reason)s",
            "suspend": "Your forum account is suspended: %(reason)s",
            "ban": "Your forum account is banned: %(reason)s",
            "reinstate": "Your forum account is active again.",
        }[action]
        % {"reason": reason},
    )
    db.session.commit()


def get_member(user_id: int) -> User | None:
    """An account by id (moderators look members up)."""
    return db.session.get(User, user_id)


def member_history(user_id: int) -> list[AuditEvent]:
    """Moderation actions about a member, newest first."""
    return list(
        db.session.execute(
            select(AuditEvent)
            .where(AuditEvent.subject == f"user:{user_id}", AuditEvent.action.like("forum.%"))
            .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        ).scalars()
    )


def forum_audit_log(limit: int = 200) -> list[AuditEvent]:
    """Recent forum moderation and staff actions, newest first."""
    return list(
        db.session.execute(
            select(AuditEvent)
            .where(AuditEvent.action.like("forum.%"))
            .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
            .limit(limit)
        ).scalars()
    )
