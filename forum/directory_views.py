"""Directory pages and organisation registration and membership (on the forum blueprint)."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from forum import organisations, services
from forum.access import member_required, post_limit, user_key
from forum.errors import ForumRefusal
from forum.forms import ConfirmForm, OrganisationForm, pairs
from forum.models import AGE_GROUPS, PILLARS, SERVICES
from forum.views import _page, bp
from portal.areas.services import districts
from portal.extensions import limiter


def _filters() -> organisations.DirectoryFilters:
    """Directory filters from the query string; unknown values are ignored."""
    args = request.args
    district_slugs = {d.slug for d in districts()}

    def pick(name: str, allowed: set[str] | dict[str, str]) -> str:
        value = (args.get(name) or "").strip()
        return value if value in allowed else ""

    return organisations.DirectoryFilters(
        q=(args.get("q") or "").replace("\x00", "").strip()[:100],
        district=pick("district", district_slugs),
        pillar=pick("pillar", PILLARS),
        service=pick("service", SERVICES),
        age_group=pick("age_group", AGE_GROUPS),
    )


@bp.get("/directory")
def directory() -> str:
    """Directory of approved voluntary and community organisations, with filters."""
    filters = _filters()
    results = organisations.directory(
        filters, _page(), current_app.config["FORUM_DIRECTORY_PER_PAGE"]
    )
    return render_template(
        "forum/directory.html",
        filters=filters,
        results=results,
        organisations=results.items,
        options={
            "district": [(d.slug, d.name) for d in districts()],
            "pillar": [(key, _(label)) for key, label in PILLARS.items()],
            "service": [(key, _(label)) for key, label in SERVICES.items()],
            "age_group": [(key, _(label)) for key, label in AGE_GROUPS.items()],
        },
    )


@bp.get("/directory/<slug>")
def organisation(slug: str) -> str:
    """One organisation's listing and its recent public forum activity."""
    found = organisations.public_organisation(slug)
    if found is None:
        abort(404)
    return render_template(
        "forum/organisation.html",
        organisation=found,
        activity=services.recent_public_posts_for_organisation(found.id),
        membership=organisations.membership(current_user, found),
        is_admin=organisations.is_admin_of(current_user, found),
        is_member=services.is_active_member(current_user),
        form=ConfirmForm(),
        pillars=PILLARS,
        services=SERVICES,
        age_groups=AGE_GROUPS,
    )


@bp.post("/directory/<slug>/join")
@member_required
def join(slug: str) -> Response:
    """Ask to join an organisation."""
    found = organisations.public_organisation(slug)
    if found is None:
        abort(404)
    if ConfirmForm().validate_on_submit():
        try:
            organisations.request_to_join(current_user, found)
        except ForumRefusal as refusal:
            flash(refusal.message)
        else:
            flash(_("Your request has been sent to the organisation's admins."))
    return redirect(url_for("forum.organisation", slug=found.slug))


@bp.route("/forum/organisations/register", methods=["GET", "POST"])
@member_required
@limiter.limit(post_limit, key_func=user_key, methods=["POST"])
def register_organisation() -> Response | str:
    """Register an organisation; staff approve it before it is listed."""
    form = OrganisationForm()
    form.districts.choices = pairs([(d.slug, d.name) for d in districts()])
    if form.validate_on_submit():
        organisations.register_organisation(
            current_user,
            organisations.OrganisationDetails(
                name=form.name.data,
                description=form.description.data,
                registered_number=form.registered_number.data or "",
                district_slugs=form.districts.data,
                pillars=form.pillars.data,
                services=form.services.data,
                age_groups=form.age_groups.data,
                contact_name=form.contact_name.data,
                contact_email=form.contact_email.data,
                contact_phone=form.contact_phone.data or "",
                website=form.website.data or "",
                has_safeguarding_policy=form.has_safeguarding_policy.data == "yes",
            ),
        )
        flash(_("Thank you. We will email you when the partnership team has checked it."))
        return redirect(url_for("forum.my_organisations"))
    return render_template("forum/register_organisation.html", form=form)


@bp.get("/forum/organisations")
@member_required
def my_organisations() -> str:
    """The organisations the member belongs to or has asked to join."""
    return render_template(
        "forum/my_organisations.html", memberships=organisations.memberships_of(current_user)
    )


def _admin_organisation_or_404(slug: str):  # type: ignore[no-untyped-def]
    found = organisations.organisation_for_member_pages(slug)
    if found is None:
        abort(404)
    if not organisations.is_admin_of(current_user, found):
        abort(403)
    return found


@bp.get("/forum/organisations/<slug>/members")
@member_required
def organisation_members(slug: str) -> str:
    """An organisation admin's list of members and requests to join."""
    found = _admin_organisation_or_404(slug)
    return render_template(
        "forum/organisation_members.html",
        organisation=found,
        members=organisations.members(found),
        form=ConfirmForm(),
    )


@bp.post("/forum/organisations/<slug>/members/<int:membership_id>/<action>")
@member_required
def organisation_member_action(slug: str, membership_id: int, action: str) -> Response:
    """Approve a request to join, or remove a member."""
    found = _admin_organisation_or_404(slug)
    joined = organisations.get_membership(found, membership_id)
    if joined is None or action not in {"approve", "remove"}:
        abort(404)
    if ConfirmForm().validate_on_submit():
        try:
            if action == "approve":
                organisations.approve_member(current_user, joined)
                flash(_("Member approved."))
            else:
                organisations.remove_member(current_user, joined)
                flash(_("Member removed."))
        except ForumRefusal as refusal:
            flash(refusal.message)
    return redirect(url_for("forum.organisation_members", slug=found.slug))
