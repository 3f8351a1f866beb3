"""Staff pages: approving organisations and managing categories."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from forum import organisations, services
from forum.forms import CategoryForm, DecisionForm
from forum.models import AGE_GROUPS, PILLARS, SERVICES
from portal.auth.roles import protect_blueprint

bp = Blueprint("forum_staff", __name__, url_prefix="/staff/forum")
protect_blueprint(bp, "staff", "moderator")


@bp.get("/")
def organisation_list() -> str:
    """Organisations waiting for a decision, then all the others."""
    return render_template(
        "forum/staff/organisations.html",
        pending=organisations.pending_organisations(),
        everyone=organisations.all_organisations(),
    )


@bp.route("/organisations/<int:organisation_id>", methods=["GET", "POST"])
def organisation(organisation_id: int) -> Response | str:
    """Check an organisation's registration and approve or reject it."""
    found = organisations.get_organisation(organisation_id)
    if found is None:
        abort(404)
    form = DecisionForm()
    if form.validate_on_submit():
        approve = form.decision.data == "approve"
        organisations.decide(current_user, found, approve, form.reason.data or "")
        flash(
            _("%(name)s is approved and listed.", name=found.name)
            if approve
            else _("%(name)s has been rejected.", name=found.name)
        )
        return redirect(url_for("forum_staff.organisation_list"))
    return render_template(
        "forum/staff/organisation.html",
        organisation=found,
        form=form,
        pillars=PILLARS,
        services=SERVICES,
        age_groups=AGE_GROUPS,
    )


@bp.get("/categories")
def categories() -> str:
    """Every forum category."""
    return render_template("forum/staff/categories.html", categories=services.all_categories())


@bp.route("/categories/new", methods=["GET", "POST"])
def new_category() -> Response | str:
    """Add a category."""
    form = CategoryForm()
    if form.validate_on_submit():
        services.save_category(
            None,
            form.name.data,
            form.description.data or "",
            form.members_only.data,
            form.position.data,
        )
        flash(_("Category added."))
        return redirect(url_for("forum_staff.categories"))
    return render_template("forum/staff/category.html", form=form, category=None)


@bp.route("/categories/<int:category_id>", methods=["GET", "POST"])
def edit_category(category_id: int) -> Response | str:
    """Change a category, or make it private to approved members."""
    found = services.get_category_by_id(category_id)
    if found is None:
        abort(404)
    form = CategoryForm(obj=found)
    if form.validate_on_submit():
        services.save_category(
            found,
            form.name.data,
            form.description.data or "",
            form.members_only.data,
            form.position.data,
        )
        flash(_("Category saved."))
        return redirect(url_for("forum_staff.categories"))
    return render_template("forum/staff/category.html", form=form, category=found)
