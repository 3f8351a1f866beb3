"""Configuration from the environment, with safe local defaults."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

HELP_CONTACTS: list[dict[str, str]] = [
    {
        "key": "emergency",
        "name": "In immediate danger",
        "number": "999",
        "text": "Call 999 if you or someone else is in immediate danger.",
    },
    {
        "key": "police",
        "name": "Police non-emergency",
        "number": "101",
        "text": "Call 101 to report a crime that is not an emergency.",
    },
    {
        "key": "crimestoppers",
        "name": "Crimestoppers",
        "number": "0800 555 111",
        "url": "https://crimestoppers-uk.org",
        "text": "Tell Crimestoppers what you know, 100% anonymously.",
    },
    {
        "key": "childline",
        "name": "Childline",
        "number": "0800 1111",
        "url": "https://www.childline.org.uk",
        "text": "Free, private support for anyone under 19.",
    },
    {
        "key": "domestic_abuse",
        "name": "National Domestic Abuse Helpline",
        "number": "0808 2000 247",
        "url": "https://www.nationaldahelpline.org.uk",
        "text": "Free, confidential help, 24 hours a day.",
    },
    {
        "key": "samaritans",
        "name": "Samaritans",
        "number": "116 123",
        "url": "https://www.samaritans.org",
        "text": "Talk to someone any time, day or night.",
    },
    {
        "key": "talk2someone",
        "name": "talk2someone",
        "url": "https://www.talk2someone.org.uk",
        "text": "Support for young people in Warwickshire.",
    },
    {
        "key": "safe_in_warwickshire",
        "name": "Safe in Warwickshire support",
        "url": "https://www.safeinwarwickshire.com",
        "text": "Local support services for victims and families.",
    },
]


def _env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _instance_secret_key(instance_path: Path) -> str:
    """Read the local secret key, generating it once so restarts keep sessions valid."""
    instance_path.mkdir(parents=True, exist_ok=True)
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def _database_url(instance_path: Path) -> str:
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        return f"sqlite:///{instance_path / 'portal.db'}"
    # Hosting platforms hand out postgres:// URLs; SQLAlchemy wants an explicit driver.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def load_config(instance_path: Path) -> dict[str, Any]:
    """Build the settings dictionary from environment variables."""
    production = os.environ.get("PORTAL_ENV", "development") == "production"
    secret_key = os.environ.get("SECRET_KEY")
    if not secret_key:
        if production:
            raise RuntimeError("SECRET_KEY must be set when PORTAL_ENV=production")
        secret_key = _instance_secret_key(instance_path)
    redis_url = os.environ.get("REDIS_URL") or None
    database_url = _database_url(instance_path)
    engine_options: dict[str, Any] = {"pool_pre_ping": True}
    if database_url.startswith("postgresql"):
        engine_options.update(
            pool_size=int(os.environ.get("DATABASE_POOL_SIZE", "5")),
            max_overflow=int(os.environ.get("DATABASE_MAX_OVERFLOW", "10")),
            pool_recycle=1800,
        )
    mail_server = os.environ.get("MAIL_SERVER")
    return {
        "PORTAL_ENV": "production" if production else "development",
        "SECRET_KEY": secret_key,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": engine_options,
        "REDIS_URL": redis_url,
        "RATELIMIT_ENABLED": _env_bool("RATELIMIT_ENABLED", True),
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "RATELIMIT_STRATEGY": "moving-window",
        "RATELIMIT_HEADERS_ENABLED": True,
        "RATELIMIT_SWALLOW_ERRORS": True,
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_IN_MEMORY_FALLBACK": ["200 per minute"],
        "PUBLIC_POST_RATE_LIMIT": os.environ.get("PUBLIC_POST_RATE_LIMIT", "30 per minute"),
        "LOGIN_RATE_LIMIT": os.environ.get("LOGIN_RATE_LIMIT", "10 per minute"),
        "LOGIN_MAX_FAILURES": int(os.environ.get("LOGIN_MAX_FAILURES", "5")),
        "LOGIN_LOCKOUT_MINUTES": int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15")),
        "MAIL_BACKEND": "smtp" if mail_server else "console",
        "MAIL_SERVER": mail_server or "localhost",
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "25")),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME"),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD"),
        "MAIL_USE_TLS": _env_bool("MAIL_USE_TLS"),
        "MAIL_USE_SSL": _env_bool("MAIL_USE_SSL"),
        "MAIL_DEFAULT_SENDER": os.environ.get(
            "MAIL_DEFAULT_SENDER", "Safer Warwickshire <no-reply@safer-warwickshire.example>"
        ),
        # A slow phone survey can take an hour; the CSRF token must outlive it.
        "WTF_CSRF_TIME_LIMIT": int(os.environ.get("CSRF_TIME_LIMIT_SECONDS", str(8 * 3600))),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _env_bool("SESSION_COOKIE_SECURE", production),
        "SESSION_COOKIE_NAME": "portal_session",
        "PERMANENT_SESSION_LIFETIME": timedelta(hours=8),
        "REMEMBER_COOKIE_DURATION": timedelta(days=14),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SECURE": _env_bool("SESSION_COOKIE_SECURE", production),
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "STAFF_IDLE_TIMEOUT_MINUTES": int(os.environ.get("STAFF_IDLE_TIMEOUT_MINUTES", "30")),
        "PREFERRED_URL_SCHEME": "https" if production else "http",
        "SERVER_NAME": os.environ.get("SERVER_NAME") or None,
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_DEFAULT_TIMEZONE": "Europe/London",
        "LANGUAGES": {
            "en": {"name": "English", "dir": "ltr"},
            "pl": {"name": "Polski", "dir": "ltr"},
            "ro": {"name": "Română", "dir": "ltr"},
            "pa": {"name": "ਪੰਜਾਬੀ", "dir": "ltr"},
            "ur": {"name": "اردو", "dir": "rtl"},
            "gu": {"name": "ગુજરાતી", "dir": "ltr"},
        },
        "HELP_CONTACTS": HELP_CONTACTS,
        "JOBS_INLINE": _env_bool("JOBS_INLINE"),
        "MAX_CONTENT_LENGTH": int(os.environ.get("MAX_CONTENT_LENGTH", str(16 * 1024 * 1024))),
        "CONTACT_EMAIL": os.environ.get("CONTACT_EMAIL", "community.safety@warwickshire.example"),
        "LOG_FORMAT": os.environ.get("LOG_FORMAT", "json" if production else "text"),
    }
