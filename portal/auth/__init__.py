"""Accounts and roles: Flask-Login sessions, argon2id passwords, TOTP for staff roles."""

from __future__ import annotations

import sys

import click
from flask import Flask, flash, redirect, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, logout_user
from werkzeug.wrappers import Response

from portal.auth import services
from portal.auth.models import ROLES
from portal.auth.passwords import password_problem
from portal.clock import utcnow
from portal.extensions import db, login_manager


def _enforce_staff_idle_timeout() -> Response | None:
    """Sign staff out after a period without requests (their pages hold personal data)."""
    if request.endpoint in {"static", "health.healthz"} or not current_user.is_authenticated:
        return None
    from flask import current_app

    now = utcnow().timestamp()
    if current_user.is_staff:
        limit = current_app.config["STAFF_IDLE_TIMEOUT_MINUTES"] * 60
        last_seen = session.get("last_seen", now)
        if now - last_seen > limit:
            logout_user()
            session.clear()
            flash(_l("You were signed out because you were inactive. Sign in again to continue."))
            return redirect(url_for("auth.login", next=request.path))
    session["last_seen"] = now
    return None


def init_app(app: Flask) -> None:
    """Wire Flask-Login, the account views, the idle timeout and `flask users`."""
    from portal.auth.views import bp

    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Sign in to see this page.")
    login_manager.session_protection = "strong"
    login_manager.user_loader(services.find_user_by_session_token)
    app.register_blueprint(bp)
    app.before_request(_enforce_staff_idle_timeout)

    @app.cli.group("users")
    def users_cli() -> None:
        """Manage accounts."""

    @users_cli.command("create")
    @click.argument("email")
    @click.option(
        "--role",
        "roles",
        multiple=True,
        type=click.Choice(sorted(ROLES)),
        required=True,
        help="Role to give (repeat for several).",
    )
    @click.option("--name", default="", help="Person's name.")
    @click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
    def create(email: str, roles: tuple[str, ...], name: str, password_stdin: bool) -> None:
        """Create an account with a role (asks for the password)."""
        if services.find_user_by_email(email):
            raise click.ClickException(f"An account for {email} already exists.")
        if password_stdin:
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
        problem = password_problem(password, email)
        if problem:
            raise click.ClickException(str(problem))
        user = services.create_user(email, password, list(roles), name=name, confirmed=True)
        db.session.commit()
        click.echo(f"Created {user.email} with role(s): {', '.join(sorted(roles))}")
        if user.needs_second_factor:
            click.echo("They will set up an authenticator app the first time they sign in.")

    @users_cli.command("set-roles")
    @click.argument("email")
    @click.option("--role", "roles", multiple=True, type=click.Choice(sorted(ROLES)))
    def set_roles(email: str, roles: tuple[str, ...]) -> None:
        """Replace an account's roles."""
        user = services.find_user_by_email(email)
        if user is None:
            raise click.ClickException(f"No account for {email}.")
        services.set_roles(user, list(roles))
        db.session.commit()
        click.echo(f"{user.email}: {', '.join(sorted(roles)) or 'no roles'}")
