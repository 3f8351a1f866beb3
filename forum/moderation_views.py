"""The moderation queue and moderators' actions (every route needs the moderator role)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from forum import moderation, services
from forum.forms import ReasonForm, SanctionForm
from forum.moderation import REPORT_REASONS
from portal.auth.roles import protect_blueprint

bp = Blueprint("forum_moderation", __name__, url_prefix="/moderation")
protect_blueprint(bp, "moderator")

POST_ACTIONS = {
    "hide": (moderation.hide_post, "Hide this post"),
    "restore": (moderation.restore_post, "Restore this post"),
    "approve": (moderation.approve_post, "Approve this post"),
    "dismiss": (moderation.dismiss_reports, "Dismiss the reports"),
}
TOPIC_ACTIONS = {
    "pin": ("pinned", True, "Pin this topic"),
    "unpin": ("pinned", False, "Unpin this topic"),
    "lock": ("locked", True, "Lock this topic"),
    "unlock": ("locked", False, "Unlock this topic"),
}


@bp.get("/")
def queue() -> str:
    """Reported posts and posts held for approval."""
    items, held = moderation.moderation_queue()
    return render_template(
        "forum/moderation/queue.html", items=items, held=held, reasons=REPORT_REASONS
    )


@bp.route("/posts/<int:post_id>/<action>", methods=["GET", "POST"])
def post_action(post_id: int, action: str) -> Response | str:
    """Hide, restore, approve a post or dismiss its reports, with a reason."""
    post = moderation.get_post_for_moderation(post_id)
    if post is None or action not in POST_ACTIONS:
        abort(404)
    handler, title = POST_ACTIONS[action]
    form = ReasonForm()
    if form.validate_on_submit():
        handler(current_user, post, form.reason.data)
        flash(_("Done: %(action)s.", action=_(title)))
        return redirect(url_for("forum_moderation.queue"))
    return render_template(
        "forum/moderation/post_action.html",
        post=post,
        form=form,
        title=_(title),
        reports=moderation.open_reports(post),
        reasons=REPORT_REASONS,
    )


@bp.route("/topics/<int:topic_id>/<action>", methods=["GET", "POST"])
def topic_action(topic_id: int, action: str) -> Response | str:
    """Pin, unpin, lock or unlock a topic, with a reason."""
    topic = moderation.get_topic_for_moderation(topic_id)
    if topic is None or action not in TOPIC_ACTIONS:
        abort(404)
    flag, value, title = TOPIC_ACTIONS[action]
    form = ReasonForm()
    if form.validate_on_submit():
        services.set_topic_flag(current_user, topic, flag, value, form.reason.data)
        flash(_("Done: %(action)s.", action=_(title)))
        return redirect(url_for("forum.topic", topic_id=topic.id))
    return render_template(
        "forum/moderation/topic_action.html", topic=topic, form=form, title=_(title)
    )


@bp.route("/members/<int:user_id>", methods=["GET", "POST"])
def member(user_id: int) -> Response | str:
    """A member's standing and history; warn, suspend, ban or reinstate them."""
    person = moderation.get_member(user_id)
    if person is None:
        abort(404)
    form = SanctionForm()
    if form.validate_on_submit():
        moderation.sanction_member(
            current_user, person, form.action.data, form.reason.data, form.days.data or 7
        )
        flash(_("The action has been recorded."))
        return redirect(url_for("forum_moderation.member", user_id=person.id))
    return render_template(
        "forum/moderation/member.html",
        person=person,
        profile=moderation.profile_for(person),
        history=moderation.member_history(person.id),
        form=form,
    )


@bp.get("/log")
def log() -> str:
    """The forum's moderation log."""
    return render_template("forum/moderation/log.html", events=moderation.forum_audit_log())
