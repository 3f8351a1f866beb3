"""Account operations: the only code in portal.auth that touches the session."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pyotp
from flask import current_app
from sqlalchemy import func, select

from portal import audit
from portal.auth.models import ROLES, Role, User, new_session_token
from portal.auth.passwords import hash_password, needs_rehash, verify_password
from portal.clock import utcnow
from portal.extensions import db

# Verified against when the email is unknown, so both paths take the same time.
_DUMMY_HASH = hash_password("not-a-real-password-just-for-timing")


def normalise_email(email: str) -> str:
    """Lower-case and trim an email address for lookups."""
    return email.strip().lower()


def find_user_by_email(email: str) -> User | None:
    """Look up an account by email, case-insensitively."""
    return db.session.execute(
        select(User).where(func.lower(User.email) == normalise_email(email))
    ).scalar_one_or_none()


def find_user_by_session_token(token: str) -> User | None:
    """Flask-Login's loader: the session token identifies a live session."""
    return db.session.execute(select(User).where(User.session_token == token)).scalar_one_or_none()


def ensure_roles() -> dict[str, Role]:
    """Create any missing roles and return them by name."""
    existing = {r.name: r for r in db.session.execute(select(Role)).scalars()}
    for name, description in ROLES.items():
        if name not in existing:
            existing[name] = Role(name=name, description=description)
            db.session.add(existing[name])
    db.session.flush()
    return existing


def create_user(
    email: str,
    password: str,
    roles: list[str] | None = None,
    name: str = "",
    confirmed: bool = False,
) -> User:
    """Create an account with the given roles (unknown roles are an error)."""
    unknown = set(roles or []) - set(ROLES)
    if unknown:
        raise ValueError(f"Unknown role(s): {', '.join(sorted(unknown))}")
    available = ensure_roles()
    user = User(
        email=normalise_email(email),
        name=name.strip(),
        password_hash=hash_password(password),
        roles=[available[r] for r in roles or []],
        email_confirmed_at=utcnow() if confirmed else None,
    )
    db.session.add(user)
    db.session.flush()
    audit.record("account.created", f"user:{user.id}", {"roles": sorted(roles or [])})
    return user


def set_roles(user: User, roles: list[str]) -> None:
    """Replace an account's roles, recorded in the audit log."""
    available = ensure_roles()
    before = sorted(user.role_names)
    user.roles = [available[r] for r in roles if r in available]
    audit.record("account.roles_changed", f"user:{user.id}", {"before": before, "after": roles})


@dataclass
class SignInResult:
    """Outcome of checking an email and password."""

    user: User | None
    locked: bool = False


def check_credentials(email: str, password: str) -> SignInResult:
    """Check a password, counting failures and locking the account after too many."""
    user = find_user_by_email(email)
    if user is None:
        verify_password(_DUMMY_HASH, password)
        return SignInResult(None)
    now = utcnow()
    if user.locked_until and user.locked_until > now:
        return SignInResult(None, locked=True)
    if not verify_password(user.password_hash, password) or not user.active:
        user.failed_logins += 1
        if user.failed_logins >= current_app.config["LOGIN_MAX_FAILURES"]:
            user.locked_until = now + timedelta(minutes=current_app.config["LOGIN_LOCKOUT_MINUTES"])
            user.failed_logins = 0
            audit.record("account.locked", f"user:{user.id}", user_id=user.id)
        db.session.commit()
        return SignInResult(None, locked=bool(user.locked_until and user.locked_until > now))
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.failed_logins = 0
    user.locked_until = None
    db.session.commit()
    return SignInResult(user)


def record_sign_in(user: User) -> None:
    """Note a completed sign-in."""
    user.last_login_at = utcnow()
    audit.record("account.signed_in", f"user:{user.id}", user_id=user.id)
    db.session.commit()


def end_all_sessions(user: User) -> None:
    """Rotate the session token so every existing session and remember cookie stops working."""
    user.session_token = new_session_token()


def change_password(user: User, new_password: str) -> None:
    """Set a new password and sign the account out everywhere else."""
    user.password_hash = hash_password(new_password)
    user.password_changed_at = utcnow()
    end_all_sessions(user)
    audit.record("account.password_changed", f"user:{user.id}", user_id=user.id)
    db.session.commit()


def confirm_email(user: User) -> None:
    """Mark the email address as confirmed."""
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()
        audit.record("account.email_confirmed", f"user:{user.id}", user_id=user.id)
    db.session.commit()


def sign_out_everywhere(user: User) -> None:
    """Invalidate all of this account's sessions (used on sign-out)."""
    end_all_sessions(user)
    audit.record("account.signed_out", f"user:{user.id}", user_id=user.id)
    db.session.commit()


def new_totp_secret() -> str:
    """A new base32 secret for an authenticator app."""
    return pyotp.random_base32()


def totp_uri(user: User, secret: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name="Safer Warwickshire")


def verify_totp(secret: str, code: str, last_counter: int | None = None) -> int | None:
    """Return the time step matched by a 6-digit code (±1 step), or None; refuse replays."""
    code = "".join(ch for ch in code if ch.isdigit())
    if len(code) != 6:
        return None
    totp = pyotp.TOTP(secret)
    now = datetime.now(UTC)  # pyotp reads naive datetimes as local time
    for offset in (-1, 0, 1):
        at = now + timedelta(seconds=30 * offset)
        counter = totp.timecode(at)
        if totp.at(at) == code and (last_counter is None or counter > last_counter):
            return counter
    return None


def enable_totp(user: User, secret: str, counter: int) -> None:
    """Store a confirmed authenticator secret."""
    user.totp_secret = secret
    user.totp_confirmed_at = utcnow()
    user.totp_last_counter = counter
    audit.record("account.totp_enabled", f"user:{user.id}", user_id=user.id)
    db.session.commit()


def accept_totp(user: User, code: str) -> bool:
    """Check a sign-in code against the stored secret, refusing a code used before."""
    if not user.totp_secret:
        return False
    counter = verify_totp(user.totp_secret, code, user.totp_last_counter)
    if counter is None:
        return False
    user.totp_last_counter = counter
    db.session.commit()
    return True


def list_users() -> list[User]:
    """All accounts, newest first."""
    return list(db.session.execute(select(User).order_by(User.created_at.desc())).scalars())
