"""Network forum pages: categories, topics, posts, search, watching and notifications."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from forum import moderation, notifications, services
from forum.access import member_required, post_limit, report_limit, user_key
from forum.errors import ForumRefusal
from forum.forms import ConfirmForm, DigestForm, EditPostForm, ReplyForm, ReportForm, TopicForm
from forum.models import Category, Post, Topic
from forum.search import search as run_search
from portal.extensions import limiter

bp = Blueprint("forum", __name__, template_folder="templates")


def _page() -> int:
    """The ?page= number; anything odd is page 1."""
    page = request.args.get("page", 1, type=int) or 1
    return max(1, min(page, 100000))


def _category_or_404(slug: str) -> Category:
    category = services.get_category(slug, current_user)
    if category is None:
        abort(404)
    return category


def _topic_or_404(topic_id: int) -> Topic:
    topic = services.get_topic(topic_id, current_user)
    if topic is None:
        abort(404)
    return topic


def _post_or_404(post_id: int) -> Post:
    post = services.get_post(post_id, current_user)
    if post is None:
        abort(404)
    return post


def _post_url(post: Post) -> str:
    page = services.page_of_post(post, current_user)
    return url_for("forum.topic", topic_id=post.topic_id, page=page, _anchor=f"post-{post.id}")


@bp.get("/forum")
def index() -> str:
    """The network forum's front page: categories this person may read."""
    return render_template(
        "forum/index.html",
        categories=services.list_categories(current_user),
        unread_notifications=notifications.unread_count(current_user),
        is_member=services.is_active_member(current_user),
    )


@bp.get("/forum/c/<slug>")
def category(slug: str) -> str:
    """Topics in one category."""
    found = _category_or_404(slug)
    topics = services.list_topics(found, current_user, _page())
    return render_template(
        "forum/category.html",
        category=found,
        topics=topics,
        unread=services.unread_topic_ids(current_user, topics.items),
        watching=notifications.is_watching(current_user, category=found),
        is_member=services.is_active_member(current_user),
        watch_form=ConfirmForm(),
    )


@bp.route("/forum/c/<slug>/new", methods=["GET", "POST"])
@member_required
@limiter.limit(post_limit, key_func=user_key, methods=["POST"])
def new_topic(slug: str) -> Response | str:
    """Start a topic in a category."""
    found = _category_or_404(slug)
    form = TopicForm()
    if form.validate_on_submit():
        try:
            topic = services.create_topic(current_user, found, form.title.data, form.body.data)
        except ForumRefusal as refusal:
            form.body.errors.append(refusal.message)
        else:
            if topic.status == "held":
                flash(_("Thank you. A moderator will check your topic before it appears."))
            return redirect(url_for("forum.topic", topic_id=topic.id))
    return render_template("forum/new_topic.html", category=found, form=form)


@bp.get("/forum/t/<int:topic_id>")
def topic(topic_id: int) -> str:
    """A topic and its posts, one page at a time; reading it clears its unread marker."""
    found = _topic_or_404(topic_id)
    last_read = services.read_marker(current_user, found)
    posts = services.topic_posts(found, current_user, _page())
    services.mark_read(current_user, found)
    return render_template(
        "forum/topic.html",
        topic=found,
        posts=posts,
        last_read=last_read,
        form=ReplyForm() if services.is_active_member(current_user) else None,
        watch_form=ConfirmForm(),
        watching=notifications.is_watching(current_user, topic=found),
        is_moderator=services.is_moderator(current_user),
        readable=lambda post: services.post_is_readable(post, current_user),
        can_edit=lambda post: services.can_edit(post, current_user),
        can_delete=lambda post: services.can_delete(post, current_user),
    )


@bp.route("/forum/t/<int:topic_id>/reply", methods=["GET", "POST"])
@member_required
@limiter.limit(post_limit, key_func=user_key, methods=["POST"])
def reply(topic_id: int) -> Response | str:
    """Reply to a topic, optionally quoting a post."""
    found = _topic_or_404(topic_id)
    form = ReplyForm()
    if request.method == "GET":
        quoted = request.args.get("quote", type=int)
        post = services.get_post(quoted, current_user) if quoted else None
        if post is not None and post.topic_id == found.id:
            form.body.data = services.quote_text(post, current_user)
    if form.validate_on_submit():
        try:
            post = services.create_reply(current_user, found, form.body.data)
        except ForumRefusal as refusal:
            form.body.errors.append(refusal.message)
        else:
            if post.status == "held":
                flash(_("Thank you. A moderator will check your reply before it appears."))
            return redirect(_post_url(post))
    return render_template("forum/reply.html", topic=found, form=form)


@bp.route("/forum/p/<int:post_id>/edit", methods=["GET", "POST"])
@member_required
@limiter.limit(post_limit, key_func=user_key, methods=["POST"])
def edit_post(post_id: int) -> Response | str:
    """Edit a post; the earlier text is kept in its history."""
    post = _post_or_404(post_id)
    if not services.can_edit(post, current_user):
        abort(403)
    form = EditPostForm(body=post.body, title=post.topic.title if post.is_first else None)
    if form.validate_on_submit():
        try:
            services.edit_post(
                current_user, post, form.body.data, form.title.data if post.is_first else None
            )
        except ForumRefusal as refusal:
            form.body.errors.append(refusal.message)
        else:
            flash(_("Your changes have been saved."))
            return redirect(_post_url(post))
    return render_template("forum/edit_post.html", post=post, form=form)


@bp.get("/forum/p/<int:post_id>/history")
@member_required
def post_history(post_id: int) -> str:
    """Earlier versions of a post, for its author and moderators."""
    post = _post_or_404(post_id)
    if not (services.is_moderator(current_user) or post.author_id == current_user.id):
        abort(403)
    return render_template("forum/history.html", post=post, revisions=services.post_history(post))


@bp.route("/forum/p/<int:post_id>/delete", methods=["GET", "POST"])
@member_required
def delete_post(post_id: int) -> Response | str:
    """Delete a post (kept for moderators; shown to others as deleted)."""
    post = _post_or_404(post_id)
    if not services.can_delete(post, current_user):
        abort(403)
    form = ConfirmForm()
    if form.validate_on_submit():
        services.delete_post(current_user, post)
        flash(_("The post has been deleted."))
        if post.is_first:
            return redirect(url_for("forum.category", slug=post.topic.category.slug))
        return redirect(url_for("forum.topic", topic_id=post.topic_id))
    return render_template("forum/delete_post.html", post=post, form=form)


@bp.route("/forum/p/<int:post_id>/report", methods=["GET", "POST"])
@member_required
@limiter.limit(report_limit, key_func=user_key, methods=["POST"])
def report_post(post_id: int) -> Response | str:
    """Report a post to the moderators."""
    post = _post_or_404(post_id)
    form = ReportForm()
    if form.validate_on_submit():
        try:
            moderation.report_post(current_user, post, form.reason.data, form.note.data or "")
        except ForumRefusal as refusal:
            form.reason.errors.append(refusal.message)
        else:
            flash(_("Thank you. The moderators will look at this post."))
            return redirect(url_for("forum.topic", topic_id=post.topic_id))
    return render_template("forum/report.html", post=post, form=form)


@bp.post("/forum/t/<int:topic_id>/watch")
@member_required
def watch_topic(topic_id: int) -> Response:
    """Follow or stop following a topic."""
    found = _topic_or_404(topic_id)
    if ConfirmForm().validate_on_submit():
        watching = request.form.get("watch") == "1"
        notifications.set_watching(current_user, watching, topic=found)
        flash(
            _("You are following this topic.")
            if watching
            else _("You have stopped following this topic.")
        )
    return redirect(url_for("forum.topic", topic_id=found.id))


@bp.post("/forum/c/<slug>/watch")
@member_required
def watch_category(slug: str) -> Response:
    """Follow or stop following every new topic and reply in a category."""
    found = _category_or_404(slug)
    if ConfirmForm().validate_on_submit():
        watching = request.form.get("watch") == "1"
        notifications.set_watching(current_user, watching, category=found)
        flash(
            _("You are following this category.")
            if watching
            else _("You have stopped following this category.")
        )
    return redirect(url_for("forum.category", slug=found.slug))


@bp.get("/forum/search")
def search() -> str:
    """Search topics and posts this person may read."""
    query = (request.args.get("q") or "").replace("\x00", "")[:200]
    results = run_search(query, current_user, _page()) if query.strip() else None
    return render_template("forum/search.html", query=query, results=results)


@bp.get("/forum/notifications")
@member_required
def notification_list() -> str:
    """The member's notifications."""
    return render_template(
        "forum/notifications.html",
        items=notifications.list_notifications(current_user),
        form=ConfirmForm(),
    )


@bp.post("/forum/notifications/read")
@member_required
def notifications_read() -> Response:
    """Mark every notification read."""
    if ConfirmForm().validate_on_submit():
        notifications.mark_all_read(current_user)
    return redirect(url_for("forum.notification_list"))


@bp.route("/forum/notifications/settings", methods=["GET", "POST"])
@member_required
def notification_settings() -> Response | str:
    """Choose how often the email digest comes."""
    form = DigestForm(frequency=notifications.digest_frequency(current_user))
    if form.validate_on_submit():
        notifications.set_digest_frequency(current_user, form.frequency.data)
        flash(_("Your email settings have been saved."))
        return redirect(url_for("forum.notification_list"))
    return render_template("forum/notification_settings.html", form=form)
