"""The staff area: a dashboard for partnership staff and account administration for admins."""

from __future__ import annotations

from flask import Blueprint, Flask, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxesInput, GovSubmitInput
from werkzeug.wrappers import Response
from wtforms import SelectMultipleField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import CheckboxInput

from portal.auth import services as accounts
from portal.auth.models import ROLES, User
from portal.auth.roles import protect_blueprint, role_required
from portal.extensions import db

STAFF_ROLES = ("analyst", "staff", "safeguarding", "admin")
bp = Blueprint("staff", __name__, url_prefix="/staff")
protect_blueprint(bp, *STAFF_ROLES)


class RolesForm(FlaskForm):
    """Roles held by an account."""

    roles = SelectMultipleField(
        _l("Roles"),
        choices=[SelectChoice(name, _l(label)) for name, label in ROLES.items()],
        widget=GovCheckboxesInput(),
        option_widget=CheckboxInput(),
    )
    submit = SubmitField(_l("Save roles"), widget=GovSubmitInput())


@bp.get("/")
def dashboard() -> str:
    """Landing page of the staff area: links contributed by each domain package."""
    links = [
        link
        for link in current_app.extensions.get("staff_links", [])
        if current_user.has_role(*link["roles"])
    ]
    return render_template("portal/staff/dashboard.html", links=links)


@bp.get("/users")
@role_required("admin")
def users() -> str:
    """Accounts and their roles."""
    return render_template("portal/staff/users.html", users=accounts.list_users())


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@role_required("admin")
def user_roles(user_id: int) -> Response | str:
    """Change an account's roles."""
    user = db.get_or_404(User, user_id)
    form = RolesForm(roles=sorted(user.role_names))
    if form.validate_on_submit():
        if user.id == current_user.id and "admin" not in form.roles.data:
            form.roles.errors = [_("You cannot remove your own admin role")]
        else:
            accounts.set_roles(user, form.roles.data)
            db.session.commit()
            flash(_("Roles saved for %(email)s", email=user.email))
            return redirect(url_for("staff.users"))
    if user is None:
        abort(404)
    return render_template("portal/staff/user_roles.html", user=user, form=form)


def add_staff_link(
    app: Flask, title: str, endpoint: str, description: str, roles: tuple[str, ...]
) -> None:
    """Let a domain package put a card on the staff dashboard."""
    app.extensions.setdefault("staff_links", []).append(
        {"title": title, "endpoint": endpoint, "description": description, "roles": roles}
    )


def init_app(app: Flask) -> None:
    """Register the staff blueprint."""
    app.register_blueprint(bp)
    add_staff_link(
        app,
        _l("Accounts and roles"),
        "staff.users",
        _l("Give people roles, and see who has access."),
        ("admin",),
    )
