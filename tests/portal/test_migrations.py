"""The migrations build exactly the schema the models describe, on each backend."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from portal.extensions import db


def test_models_and_migrations_agree(app) -> None:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    # FTS and other backend-specific objects are created in migrations on purpose.
    differences = [d for d in differences if not _is_backend_specific(d)]
    assert differences == []


def _is_backend_specific(diff) -> bool:
    text = repr(diff)
    return "_fts" in text or "search_vector" in text or "forum_search" in text


def test_sqlite_uses_wal_and_foreign_keys(app) -> None:
    if db.engine.dialect.name != "sqlite":
        return
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
