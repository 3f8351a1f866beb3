"""Account forms, rendered with GOV.UK Frontend widgets."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovPasswordInput, GovSubmitInput, GovTextInput
from wtforms import EmailField, PasswordField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from portal.auth.passwords import MAX_LENGTH, password_problem


def _password_rules(form: FlaskForm, field: PasswordField) -> None:
    email = getattr(form, "email", None)
    problem = password_problem(field.data or "", email.data if email else "")
    if problem:
        raise ValidationError(problem)


class EmailAddress:
    """Email field definition shared by account forms."""

    @staticmethod
    def field() -> EmailField:
        return EmailField(
            _l("Email address"),
            widget=GovTextInput(),
            validators=[
                DataRequired(_l("Enter your email address")),
                Length(max=254, message=_l("Email address must be 254 characters or fewer")),
                Email(
                    message=_l(
                        "Enter an email address in the correct format, like name@example.com"
                    ),
                    check_deliverability=False,
                ),
            ],
        )


class SignInForm(FlaskForm):
    """Email and password."""

    email = EmailAddress.field()
    password = PasswordField(
        _l("Password"),
        widget=GovPasswordInput(),
        validators=[
            DataRequired(_l("Enter your password")),
            Length(max=MAX_LENGTH, message=_l("Enter your password")),
        ],
    )
    submit = SubmitField(_l("Sign in"), widget=GovSubmitInput())


class RegisterForm(FlaskForm):
    """Create an account for a voluntary or community group member."""

    name = StringField(
        _l("Full name"),
        widget=GovTextInput(),
        validators=[
            DataRequired(_l("Enter your full name")),
            Length(max=120, message=_l("Full name must be 120 characters or fewer")),
        ],
    )
    email = EmailAddress.field()
    password = PasswordField(
        _l("Create a password"),
        widget=GovPasswordInput(),
        description=_l("Use 10 characters or more. A few unrelated words make a strong password."),
        validators=[DataRequired(_l("Create a password")), _password_rules],
    )
    confirm = PasswordField(
        _l("Confirm password"),
        widget=GovPasswordInput(),
        validators=[
            DataRequired(_l("Confirm your password")),
            EqualTo("password", message=_l("Passwords must match")),
        ],
    )
    submit = SubmitField(_l("Create account"), widget=GovSubmitInput())


class ForgottenPasswordForm(FlaskForm):
    """Ask for a password reset link."""

    email = EmailAddress.field()
    submit = SubmitField(_l("Send reset link"), widget=GovSubmitInput())


class ResetPasswordForm(FlaskForm):
    """Choose a new password from a reset link."""

    password = PasswordField(
        _l("New password"),
        widget=GovPasswordInput(),
        description=_l("Use 10 characters or more."),
        validators=[DataRequired(_l("Enter a new password")), _password_rules],
    )
    confirm = PasswordField(
        _l("Confirm new password"),
        widget=GovPasswordInput(),
        validators=[
            DataRequired(_l("Confirm your new password")),
            EqualTo("password", message=_l("Passwords must match")),
        ],
    )
    submit = SubmitField(_l("Save new password"), widget=GovSubmitInput())


class ChangePasswordForm(ResetPasswordForm):
    """Change password while signed in."""

    current = PasswordField(
        _l("Current password"),
        widget=GovPasswordInput(),
        validators=[
            DataRequired(_l("Enter your current password")),
            Length(max=MAX_LENGTH, message=_l("Enter your current password")),
        ],
    )


class TwoFactorForm(FlaskForm):
    """A 6-digit code from an authenticator app."""

    code = StringField(
        _l("Security code"),
        widget=GovTextInput(),
        description=_l("The 6-digit code shown in your authenticator app"),
        validators=[
            DataRequired(_l("Enter the security code")),
            Length(max=12, message=_l("Security code must be 6 digits")),
        ],
    )
    submit = SubmitField(_l("Continue"), widget=GovSubmitInput())
