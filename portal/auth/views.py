"""Sign in, register, confirm email, reset and change password, two-factor authentication."""

from __future__ import annotations

import segno
from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from markupsafe import Markup
from werkzeug.wrappers import Response

from portal.auth import services
from portal.auth.forms import (
    ChangePasswordForm,
    ForgottenPasswordForm,
    RegisterForm,
    ResetPasswordForm,
    SignInForm,
    TwoFactorForm,
)
from portal.auth.models import User
from portal.auth.passwords import verify_password
from portal.auth.tokens import CONFIRM_MAX_AGE, RESET_MAX_AGE, make_token, read_token
from portal.clock import utcnow
from portal.email import send_email
from portal.extensions import db, limiter
from portal.i18n import safe_next

bp = Blueprint("auth", __name__, url_prefix="/account")
PENDING_KEY = "pending_sign_in"
PENDING_MAX_SECONDS = 600


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _complete_sign_in(user: User, next_url: str | None) -> Response:
    session.pop(PENDING_KEY, None)
    session.pop("totp_setup_secret", None)
    login_user(user)
    session.permanent = True
    session["last_seen"] = utcnow().timestamp()
    services.record_sign_in(user)
    default = url_for("staff.dashboard") if user.is_staff else url_for("auth.account")
    return redirect(safe_next(next_url, default))


def _pending_user() -> User | None:
    pending = session.get(PENDING_KEY)
    if not pending or utcnow().timestamp() - pending.get("at", 0) > PENDING_MAX_SECONDS:
        session.pop(PENDING_KEY, None)
        return None
    user = services.find_user_by_session_token(pending.get("token", ""))
    return user if user and user.active else None


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def login() -> Response | str:
    """Email and password; staff roles continue to the second factor."""
    form = SignInForm()
    locked = False
    if form.validate_on_submit():
        result = services.check_credentials(form.email.data, form.password.data)
        if result.user is not None and result.user.email_confirmed_at is None:
            _send_confirmation(result.user)
            form.email.errors = [
                _("Confirm your email address before you sign in. We have sent you a new link.")
            ]
            return render_template("portal/auth/sign_in.html", form=form)
        if result.user is not None:
            next_url = request.args.get("next")
            if result.user.needs_second_factor:
                session[PENDING_KEY] = {
                    "token": result.user.session_token,
                    "at": utcnow().timestamp(),
                    "next": safe_next(next_url, ""),
                }
                if result.user.totp_secret:
                    return redirect(url_for("auth.two_factor"))
                return redirect(url_for("auth.two_factor_setup"))
            return _complete_sign_in(result.user, next_url)
        locked = result.locked
        message = (
            _(
                "Too many failed attempts. Try again in %(n)d minutes, or reset your password.",
                n=current_app.config["LOGIN_LOCKOUT_MINUTES"],
            )
            if locked
            else _("Enter a correct email address and password")
        )
        form.email.errors = [message]
        form.password.data = ""
    return render_template("portal/auth/sign_in.html", form=form)


@bp.route("/two-factor", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def two_factor() -> Response | str:
    """Second step of signing in: the authenticator app code."""
    user = _pending_user()
    if user is None or not user.totp_secret:
        flash(_("Sign in again to continue."))
        return redirect(url_for("auth.login"))
    form = TwoFactorForm()
    if form.validate_on_submit():
        if services.accept_totp(user, form.code.data):
            return _complete_sign_in(user, session[PENDING_KEY].get("next"))
        form.code.errors = [_("The security code is not correct or has expired")]
    return render_template("portal/auth/two_factor.html", form=form)


@bp.route("/two-factor/set-up", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
def two_factor_setup() -> Response | str:
    """Staff roles must add an authenticator app before their first sign-in completes."""
    user = _pending_user()
    if user is None:
        flash(_("Sign in again to continue."))
        return redirect(url_for("auth.login"))
    secret = session.get("totp_setup_secret") or services.new_totp_secret()
    session["totp_setup_secret"] = secret
    form = TwoFactorForm()
    if form.validate_on_submit():
        counter = services.verify_totp(secret, form.code.data)
        if counter is not None:
            services.enable_totp(user, secret, counter)
            return _complete_sign_in(user, session[PENDING_KEY].get("next"))
        form.code.errors = [_("The security code is not correct or has expired")]
    qr = segno.make(services.totp_uri(user, secret), error="m")
    qr_svg = Markup(  # noqa: S704 - generated by segno from our own data, not user input
        qr.svg_inline(scale=4, title=_("QR code for your authenticator app"), svgclass="portal-qr")
    )
    spaced = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    return render_template(
        "portal/auth/two_factor_setup.html", form=form, qr_svg=qr_svg, secret=spaced
    )


@bp.post("/sign-out")
@login_required
def logout() -> Response:
    """Sign out here and end every other session of this account."""
    services.sign_out_everywhere(current_user)
    logout_user()
    session.clear()
    flash(_("You have signed out."))
    return redirect(url_for("pages.home"))


@bp.route("/register", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["PUBLIC_POST_RATE_LIMIT"], methods=["POST"])
def register() -> Response | str:
    """Create a member account; the email address must be confirmed before it is used."""
    form = RegisterForm()
    if form.validate_on_submit():
        existing = services.find_user_by_email(form.email.data)
        if existing is None:
            user = services.create_user(
                form.email.data, form.password.data, roles=["member"], name=form.name.data
            )
            db.session.commit()
            _send_confirmation(user)
        else:
            # Same page either way, so the form can't be used to find who has an account.
            send_email(
                existing.email,
                _("You already have an account"),
                "portal/email/already_registered.txt",
                user=existing,
            )
        return redirect(url_for("auth.check_email"))
    return render_template("portal/auth/register.html", form=form)


def _send_confirmation(user: User) -> None:
    token = make_token("confirm", {"user": user.id, "email": user.email})
    send_email(
        user.email,
        _("Confirm your email address"),
        "portal/email/confirm.txt",
        user=user,
        link=url_for("auth.confirm", token=token, _external=True),
    )


@bp.get("/check-your-email")
def check_email() -> str:
    """Tell the person to look for the link we sent."""
    return render_template("portal/auth/check_email.html")


@bp.get("/confirm/<token>")
def confirm(token: str) -> Response | str:
    """Follow the link from the confirmation email."""
    data = read_token("confirm", token, CONFIRM_MAX_AGE)
    user = db.session.get(User, data["user"]) if data else None
    if user is None or user.email != data.get("email"):
        return render_template("portal/auth/link_expired.html"), 400
    services.confirm_email(user)
    flash(_("Your email address is confirmed. You can now sign in."))
    return redirect(url_for("auth.login"))


@bp.route("/forgotten-password", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["PUBLIC_POST_RATE_LIMIT"], methods=["POST"])
def forgotten_password() -> Response | str:
    """Send a reset link if the address has an account (the page never says which)."""
    form = ForgottenPasswordForm()
    if form.validate_on_submit():
        user = services.find_user_by_email(form.email.data)
        if user is not None and user.active:
            token = make_token("reset", {"user": user.id, "pw": user.password_hash[-16:]})
            send_email(
                user.email,
                _("Reset your password"),
                "portal/email/reset.txt",
                user=user,
                link=url_for("auth.reset_password", token=token, _external=True),
            )
        return redirect(url_for("auth.check_email"))
    return render_template("portal/auth/forgotten_password.html", form=form)


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> Response | str:
    """Choose a new password; the link works once (it is tied to the old password)."""
    data = read_token("reset", token, RESET_MAX_AGE)
    user = db.session.get(User, data["user"]) if data else None
    if user is None or user.password_hash[-16:] != data.get("pw"):
        return render_template("portal/auth/link_expired.html"), 400
    form = ResetPasswordForm()
    if form.validate_on_submit():
        services.change_password(user, form.password.data)
        if user.email_confirmed_at is None:
            services.confirm_email(user)
        flash(_("Your password has been changed. Sign in with your new password."))
        return redirect(url_for("auth.login"))
    return render_template("portal/auth/reset_password.html", form=form)


@bp.route("/change-password", methods=["GET", "POST"])
@login_required
def change_password() -> Response | str:
    """Change password; every other session of the account is signed out."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not verify_password(current_user.password_hash, form.current.data):
            form.current.errors = [_("Your current password is not correct")]
        else:
            services.change_password(current_user, form.password.data)
            login_user(current_user)
            session["last_seen"] = utcnow().timestamp()
            flash(_("Your password has been changed."))
            return redirect(url_for("auth.account"))
    return render_template("portal/auth/change_password.html", form=form)


@bp.get("/")
@login_required
def account() -> str:
    """The signed-in person's account page."""
    return render_template("portal/auth/account.html")
