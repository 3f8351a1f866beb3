"""Forum content: categories, topics, posts, edit history, unread markers, and who sees what.

With forum.organisations, forum.moderation, forum.notifications, forum.events and forum.search
this is the only code that touches the session for forum data, and the public interface other
packages may import.
"""

from __future__ import annotations

import logging
import math
import re
from dataclasses import dataclass
from typing import Any

from flask import current_app, g
from sqlalchemy import Select, and_, func, or_, select, update

from forum import signals
from forum.errors import ForumRefusal, _
from forum.models import Category, Membership, Organisation, Post, PostRevision, Topic, TopicRead
from portal import audit
from portal.auth.models import User
from portal.clock import utcnow
from portal.extensions import db

log = logging.getLogger(__name__)
MODERATOR_ROLES = ("moderator", "staff")

DEFAULT_CATEGORIES = [
    ("prevent", "Prevent", "Stopping violence before it starts: early help, education, diversion."),
    ("respond", "Respond to immediate risk", "Working together when someone is at risk now."),
    ("long-term-support", "Long-term support", "Recovery, mentoring and support that lasts."),
    ("north-warwickshire", "North Warwickshire", "Local groups in North Warwickshire."),
    ("nuneaton-and-bedworth", "Nuneaton and Bedworth", "Local groups in Nuneaton and Bedworth."),
    ("rugby", "Rugby", "Local groups in Rugby."),
    ("stratford-on-avon", "Stratford-on-Avon", "Local groups in Stratford-on-Avon."),
    ("warwick", "Warwick", "Local groups in Warwick district."),
    ("events", "Events", "Meetings, training and community events."),
    ("funding", "Funding and opportunities", "Grants, commissioning and partnership offers."),
    ("general", "General", "Everything else about the network."),
]


@dataclass
class Page:
    """One page of results and where it sits among the others."""

    items: list[Any]
    page: int
    per_page: int
    total: int

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))


def paginate(query: Select, page: int, per_page: int, scalars: bool = True) -> Page:
    """Run one page of a query; out-of-range page numbers fall back to the nearest page."""
    total = db.session.execute(select(func.count()).select_from(query.order_by(None).subquery()))
    count = int(total.scalar_one())
    last = max(1, math.ceil(count / per_page))
    page = min(max(1, page), last)
    result = db.session.execute(query.limit(per_page).offset((page - 1) * per_page))
    items = list(result.scalars()) if scalars else list(result.all())
    return Page(items=items, page=page, per_page=per_page, total=count)


# --- who may see and do what -------------------------------------------------------------


def is_signed_in(user: Any) -> bool:
    """True for a real signed-in account (not the anonymous user)."""
    return bool(user is not None and getattr(user, "is_authenticated", False))


def is_moderator(user: Any) -> bool:
    """Moderators and partnership staff (admins hold every role)."""
    return is_signed_in(user) and user.has_role(*MODERATOR_ROLES)


def is_active_member(user: Any) -> bool:
    """A confirmed, active account with at least one role may take part in the forum."""
    return (
        is_signed_in(user)
        and bool(user.role_names)
        and user.active
        and user.email_confirmed_at is not None
    )


def has_approved_membership(user_id: int) -> bool:
    """True when the person is an approved member of an approved organisation."""
    found = db.session.execute(
        select(Membership.id)
        .join(Organisation, Organisation.id == Membership.organisation_id)
        .where(
            Membership.user_id == user_id,
            Membership.status == "approved",
            Organisation.status == "approved",
        )
        .limit(1)
    ).first()
    return found is not None


def can_see_private(user: Any) -> bool:
    """Members-only categories are for moderators, staff and approved organisation members."""
    if not is_signed_in(user):
        return False
    cache = g.setdefault("forum_private_access", {})
    if user.id not in cache:
        cache[user.id] = (
            user.has_role(*MODERATOR_ROLES, "analyst", "safeguarding")
            or has_approved_membership(user.id)
        ) and is_active_member(user)
    return cache[user.id]


def _visible_categories(user: Any) -> Any:
    """A where-clause keeping the categories this person may read."""
    return Category.members_only.is_(False) if not can_see_private(user) else True


def _visible_topic_clause(user: Any) -> Any:
    clauses = [Topic.deleted_at.is_(None)]
    if is_moderator(user):
        return and_(*clauses)
    if is_signed_in(user):
        clauses.append(
            or_(Topic.status == "visible", and_(Topic.status == "held", Topic.author_id == user.id))
        )
    else:
        clauses.append(Topic.status == "visible")
    return and_(*clauses)


def public_post_clause() -> Any:
    """Posts anyone may read: visible, not deleted, in a visible topic of a public category."""
    return and_(
        Post.status == "visible",
        Post.deleted_at.is_(None),
        Topic.status == "visible",
        Topic.deleted_at.is_(None),
        Category.members_only.is_(False),
    )


def readable_post_clause(user: Any) -> Any:
    """Posts this person may read in full (used by search and activity lists)."""
    clauses = [
        Post.deleted_at.is_(None),
        Topic.deleted_at.is_(None),
        Post.status == "visible",
        Topic.status == "visible",
    ]
    if not can_see_private(user):
        clauses.append(Category.members_only.is_(False))
    return and_(*clauses)


# --- categories --------------------------------------------------------------------------


def ensure_default_categories() -> None:
    """Create any missing default category (the migration seeds them; tests and demo re-run)."""
    have = set(db.session.execute(select(Category.slug)).scalars())
    for position, (slug, name, description) in enumerate(DEFAULT_CATEGORIES):
        if slug not in have:
            db.session.add(
                Category(slug=slug, name=name, description=description, position=position)
            )
    db.session.flush()


@dataclass
class CategorySummary:
    """A category with its topic count and latest activity, for the forum front page."""

    category: Category
    topics: int
    last_post_at: Any


def list_categories(user: Any) -> list[CategorySummary]:
    """Categories this person may read, in order, with counts of topics they may see."""
    counts = (
        select(Topic.category_id, func.count(Topic.id), func.max(Topic.last_post_at))
        .where(_visible_topic_clause(user))
        .group_by(Topic.category_id)
    )
    stats = {row[0]: (row[1], row[2]) for row in db.session.execute(counts)}
    categories = db.session.execute(
        select(Category).where(_visible_categories(user)).order_by(Category.position, Category.name)
    ).scalars()
    return [CategorySummary(c, *stats.get(c.id, (0, None))) for c in categories]


def all_categories() -> list[Category]:
    """Every category, for staff."""
    return list(
        db.session.execute(select(Category).order_by(Category.position, Category.name)).scalars()
    )


def get_category(slug: str, user: Any) -> Category | None:
    """A category by slug, or None when it does not exist or the person may not read it."""
    return db.session.execute(
        select(Category).where(Category.slug == slug, _visible_categories(user))
    ).scalar_one_or_none()


def get_category_by_id(category_id: int) -> Category | None:
    """A category by id (staff use)."""
    return db.session.get(Category, category_id)


def slugify(text: str, max_length: int = 80) -> str:
    """A URL-safe slug from a name."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:max_length].strip("-") or "item"


def save_category(
    category: Category | None, name: str, description: str, members_only: bool, position: int
) -> Category:
    """Create or update a category (staff); a new one gets a unique slug from its name."""
    creating = category is None
    if category is None:
        base = slugify(name)
        slug, n = base, 2
        while db.session.execute(select(Category.id).where(Category.slug == slug)).first():
            slug, n = f"{base}-{n}", n + 1
        category = Category(slug=slug)
        db.session.add(category)
    category.name = name.strip()
    category.description = description.strip()
    category.members_only = members_only
    category.position = position
    db.session.flush()
    audit.record(
        "forum.category_created" if creating else "forum.category_changed",
        f"forum_category:{category.id}",
        {"name": category.name, "members_only": members_only},
    )
    db.session.commit()
    return category


# --- topics and posts --------------------------------------------------------------------


def list_topics(category: Category, user: Any, page: int) -> Page:
    """Topics in a category, pinned first then latest activity."""
    query = (
        select(Topic)
        .where(Topic.category_id == category.id, _visible_topic_clause(user))
        .order_by(Topic.pinned.desc(), Topic.last_post_at.desc(), Topic.id.desc())
    )
    return paginate(query, page, current_app.config["FORUM_TOPICS_PER_PAGE"])


def get_topic(topic_id: int, user: Any) -> Topic | None:
    """A topic this person may read, or None."""
    return db.session.execute(
        select(Topic)
        .join(Category, Category.id == Topic.category_id)
        .where(Topic.id == topic_id, _visible_topic_clause(user), _visible_categories(user))
    ).scalar_one_or_none()


def _topic_posts_query(topic: Topic, user: Any) -> Select:
    query = select(Post).where(Post.topic_id == topic.id)
    if not is_moderator(user):
        # Held posts are shown only to their author; hidden and deleted ones as a placeholder.
        held_ok = Post.author_id == user.id if is_signed_in(user) else False
        query = query.where(or_(Post.status != "held", held_ok))
    return query.order_by(Post.created_at, Post.id)


def topic_posts(topic: Topic, user: Any, page: int) -> Page:
    """One page of a topic's posts in order."""
    return paginate(
        _topic_posts_query(topic, user), page, current_app.config["FORUM_POSTS_PER_PAGE"]
    )


def page_of_post(post: Post, user: Any) -> int:
    """Which page of its topic a post is on, for linking straight to it."""
    ids = list(
        db.session.execute(
            _topic_posts_query(post.topic, user).with_only_columns(Post.id)
        ).scalars()
    )
    position = ids.index(post.id) if post.id in ids else 0
    return position // current_app.config["FORUM_POSTS_PER_PAGE"] + 1


def get_post(post_id: int, user: Any) -> Post | None:
    """A post in a topic this person may read, or None."""
    post = db.session.get(Post, post_id)
    if post is None or get_topic(post.topic_id, user) is None:
        return None
    if post.status == "held" and not (
        is_moderator(user) or (is_signed_in(user) and post.author_id == user.id)
    ):
        return None
    return post


def post_is_readable(post: Post, user: Any) -> bool:
    """True when the post's text may be shown to this person."""
    if post.deleted_at is not None:
        return False
    if post.status == "visible":
        return True
    return is_moderator(user) or (
        post.status == "held" and is_signed_in(user) and post.author_id == user.id
    )


def posting_organisation(user: User) -> int | None:
    """The organisation a member posts for: their first approved one, if any."""
    return db.session.execute(
        select(Membership.organisation_id)
        .join(Organisation, Organisation.id == Membership.organisation_id)
        .where(
            Membership.user_id == user.id,
            Membership.status == "approved",
            Organisation.status == "approved",
        )
        .order_by(Membership.id)
        .limit(1)
    ).scalar_one_or_none()


def create_topic(user: User, category: Category, title: str, body: str) -> Topic:
    """Start a topic; a new member's post may be held for approval (see forum.moderation)."""
    from forum import moderation

    status = moderation.check_can_post(user, body)
    now = utcnow()
    organisation_id = posting_organisation(user)
    topic = Topic(
        category_id=category.id,
        title=title.strip(),
        author_id=user.id,
        organisation_id=organisation_id,
        status=status,
        created_at=now,
        last_post_at=now,
    )
    db.session.add(topic)
    db.session.flush()
    post = Post(
        topic_id=topic.id,
        author_id=user.id,
        organisation_id=organisation_id,
        body=body,
        is_first=True,
        status=status,
        created_at=now,
    )
    db.session.add(post)
    moderation.note_posted(user, now)
    db.session.flush()
    from forum import notifications

    notifications.watch(user, topic=topic)
    db.session.commit()
    after_post_committed(post)
    return topic


def create_reply(user: User, topic: Topic, body: str) -> Post:
    """Reply to a topic; locked topics take replies only from moderators."""
    from forum import moderation

    if topic.locked and not is_moderator(user):
        raise ForumRefusal(_("This topic is locked. New replies are not allowed."))
    status = moderation.check_can_post(user, body)
    now = utcnow()
    post = Post(
        topic_id=topic.id,
        author_id=user.id,
        organisation_id=posting_organisation(user),
        body=body,
        status=status,
        created_at=now,
    )
    db.session.add(post)
    if status == "visible":
        _bump_topic(topic, now)
    moderation.note_posted(user, now)
    db.session.flush()
    from forum import notifications

    notifications.watch(user, topic=topic)
    db.session.commit()
    after_post_committed(post)
    return post


def _bump_topic(topic: Topic, at: Any) -> None:
    topic.last_post_at = at
    topic.reply_count = Topic.reply_count + 1


def make_post_public(post: Post) -> None:
    """A held post has been approved: show it and move its topic's activity on."""
    post.status = "visible"
    if post.is_first:
        post.topic.status = "visible"
    else:
        _bump_topic(post.topic, utcnow())


def after_post_committed(post: Post) -> None:
    """Tell listeners, screen for safeguarding risk, and notify watchers of a public post."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    try:
        signals.post_created.send(
            app, post_id=post.id, topic_id=post.topic_id, author_id=post.author_id, text=post.body
        )
    except Exception:  # noqa: BLE001 - a listener's failure must never lose the post
        log.exception("a post_created listener failed for post %s", post.id)
    _screen(post)
    if post.status == "visible":
        from forum import notifications

        notifications.notify_new_post(post)


def _screen(post: Post) -> None:
    screener = current_app.extensions.get("post_screener")
    if screener is None:
        return
    try:
        risky = bool(screener(post.id, post.body))
    except Exception:  # noqa: BLE001 - screening is best effort; the post is already saved
        log.exception("safeguarding screening failed for post %s", post.id)
        db.session.rollback()
        return
    if risky:
        from forum import moderation

        moderation.flag_for_safeguarding(post.id)


def can_edit(post: Post, user: Any) -> bool:
    """Authors edit their own live posts; moderators edit any."""
    if not is_signed_in(user) or post.deleted_at is not None:
        return False
    if is_moderator(user):
        return True
    return post.author_id == user.id and post.status != "hidden" and not post.topic.locked


def edit_post(user: User, post: Post, body: str, title: str | None = None) -> None:
    """Change a post's text (and the topic title for a first post), keeping the old version."""
    from forum import moderation

    if not can_edit(post, user):
        raise ForumRefusal(_("You cannot edit this post."))
    moderation.check_links(user, body)
    topic = post.topic
    old_title = topic.title if post.is_first else ""
    db.session.add(
        PostRevision(post_id=post.id, body=post.body, title=old_title, edited_by_id=user.id)
    )
    post.body = body
    post.edited_at = utcnow()
    if post.is_first and title is not None and title.strip() and title.strip() != topic.title:
        topic.title = title.strip()
    if post.author_id != user.id:
        audit.record("forum.post_edited_by_moderator", f"forum_post:{post.id}")
    db.session.commit()


def post_history(post: Post) -> list[PostRevision]:
    """Earlier versions of a post, oldest first."""
    return list(
        db.session.execute(
            select(PostRevision).where(PostRevision.post_id == post.id).order_by(PostRevision.id)
        ).scalars()
    )


def can_delete(post: Post, user: Any) -> bool:
    """Authors delete their own posts; moderators delete any."""
    if not is_signed_in(user) or post.deleted_at is not None:
        return False
    return is_moderator(user) or post.author_id == user.id


def delete_post(user: User, post: Post, reason: str = "") -> None:
    """Soft-delete a post (the text stays for moderators); deleting a first post ends the topic."""
    if not can_delete(post, user):
        raise ForumRefusal(_("You cannot delete this post."))
    post.deleted_at = utcnow()
    post.deleted_by_id = user.id
    if post.is_first:
        post.topic.deleted_at = post.deleted_at
    audit.record(
        "forum.post_deleted",
        f"forum_post:{post.id}",
        {"by_author": post.author_id == user.id},
        note=reason,
    )
    db.session.commit()


def quote_text(post: Post, user: Any) -> str:
    """Markdown quoting a post, to start a reply with."""
    if not post_is_readable(post, user):
        return ""
    author = post.author.name if post.author else "A former member"
    quoted = "\n".join(f"> {line}" if line else ">" for line in post.body.strip().splitlines())
    return f"{author} wrote:\n\n{quoted}\n\n"


def set_topic_flag(moderator: User, topic: Topic, flag: str, value: bool, reason: str) -> None:
    """Pin/unpin or lock/unlock a topic, recorded in the audit log with the reason."""
    if flag not in {"pinned", "locked"}:
        raise ValueError(flag)
    setattr(topic, flag, value)
    action = {
        ("pinned", True): "forum.topic_pinned",
        ("pinned", False): "forum.topic_unpinned",
        ("locked", True): "forum.topic_locked",
        ("locked", False): "forum.topic_unlocked",
    }[(flag, value)]
    audit.record(action, f"forum_topic:{topic.id}", {"title": topic.title}, note=reason)
    db.session.commit()


# --- unread markers ----------------------------------------------------------------------


def mark_read(user: Any, topic: Topic) -> None:
    """Remember that the member has now read the topic."""
    if not is_signed_in(user):
        return
    now = utcnow()
    changed = db.session.execute(
        update(TopicRead)
        .where(TopicRead.user_id == user.id, TopicRead.topic_id == topic.id)
        .values(read_at=now)
    ).rowcount
    if not changed:
        db.session.add(TopicRead(user_id=user.id, topic_id=topic.id, read_at=now))
    db.session.commit()


def unread_topic_ids(user: Any, topics: list[Topic]) -> set[int]:
    """Which of these topics have posts the member has not seen."""
    if not is_signed_in(user) or not topics:
        return set()
    reads = dict(
        db.session.execute(
            select(TopicRead.topic_id, TopicRead.read_at).where(
                TopicRead.user_id == user.id, TopicRead.topic_id.in_([t.id for t in topics])
            )
        ).all()
    )
    return {t.id for t in topics if t.id not in reads or t.last_post_at > reads[t.id]}


def read_marker(user: Any, topic: Topic) -> Any:
    """When the member last read the topic (None if never)."""
    if not is_signed_in(user):
        return None
    return db.session.execute(
        select(TopicRead.read_at).where(
            TopicRead.user_id == user.id, TopicRead.topic_id == topic.id
        )
    ).scalar_one_or_none()


def recent_public_posts_for_organisation(organisation_id: int, limit: int = 10) -> list[Post]:
    """Public posts written for an organisation, newest first (its directory activity)."""
    return list(
        db.session.execute(
            select(Post)
            .join(Topic, Topic.id == Post.topic_id)
            .join(Category, Category.id == Topic.category_id)
            .where(Post.organisation_id == organisation_id, public_post_clause())
            .order_by(Post.created_at.desc())
            .limit(limit)
        ).scalars()
    )
