"""Password hashing with argon2id (argon2-cffi) and the password rules."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()  # argon2id with the library's RFC 9106 low-memory profile
MIN_LENGTH = 10
MAX_LENGTH = 256
COMMON_PASSWORDS = frozenset(
    {
        "password",
        "password1",
        "password123",
        "1234567890",
        "qwertyuiop",
        "letmein123",
        "iloveyou12",
        "warwickshire",
        "welcome123",
        "abc1234567",
        "passw0rd12",
        "1qaz2wsx3edc",
    }
)


def hash_password(password: str) -> str:
    """Hash a password with argon2id."""
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Check a password against its hash without raising."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """True when the hash was made with weaker parameters than today's."""
    try:
        return _hasher.check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


def password_problem(password: str, email: str = "") -> str | None:
    """Return why a password is unacceptable, or None (NCSC: length over complexity)."""
    from flask_babel import gettext as _

    if len(password) < MIN_LENGTH:
        return _("Password must be %(n)d characters or more", n=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _("Password must be %(n)d characters or fewer", n=MAX_LENGTH)
    if password.lower() in COMMON_PASSWORDS:
        return _("Choose a password that is harder to guess")
    local = email.split("@")[0].lower()
    if local and len(local) >= 4 and local in password.lower():
        return _("Password must not contain your email address")
    return None
