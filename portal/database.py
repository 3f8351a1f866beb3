"""Database wiring: SQLAlchemy, Alembic migrations, and SQLite settings (WAL, foreign keys)."""

from __future__ import annotations

import sqlite3

from flask import Flask
from sqlalchemy import Engine, event

from portal.extensions import db, migrate

MIGRATIONS_DIR = "migrations"


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection: object, _record: object) -> None:
    """Turn on write-ahead logging and foreign keys for every SQLite connection."""
    if isinstance(dbapi_connection, sqlite3.Connection):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=5000")
        cursor.close()


def init_app(app: Flask) -> None:
    """Bind SQLAlchemy and Flask-Migrate, importing every model so metadata is complete."""
    from portal import PROJECT_ROOT

    db.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=str(PROJECT_ROOT / MIGRATIONS_DIR),
        render_as_batch=True,
        compare_type=True,
    )
    import_all_models()


def import_all_models() -> None:
    """Import each package's models so Alembic and the tests see every table."""
    import forum.models  # noqa: F401
    import nlp.web.models  # noqa: F401
    import nlp.web.safeguarding_models  # noqa: F401
    import portal.areas.models  # noqa: F401
    import portal.auth.models  # noqa: F401
    import portal.jobs_models  # noqa: F401
    import surveys.models  # noqa: F401
