"""Backups round-trip every table, on SQLite and PostgreSQL, and restore refuses to clobber data."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import create_engine
from sqlalchemy.engine import make_url

from portal import audit, create_app, jobs
from portal.backup import table_summary
from portal.extensions import db
from tests.conftest import make_test_config


@pytest.fixture
def scratch_url(database_url: str, tmp_path: Path) -> Iterator[str]:
    """An empty database of our own to restore into; never the suite's shared one."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.db'}"
        return
    import psycopg

    name = f"portal_restore_{uuid.uuid4().hex[:12]}"
    server = url.set(drivername="postgresql", database="postgres")
    conninfo = server.render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True, connect_timeout=10) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(conninfo, autocommit=True, connect_timeout=10) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _some_data(auth) -> None:
    """Rows in several tables, with JSON, text and times in them."""
    user = auth.create("backup-person@example.org", ("admin",))
    audit.record("backup.test", subject=f"user:{user.id}", detail={"naïve": ["ü", 1, None]})
    db.session.add(jobs.Job(kind="test.backup", params={"a": [1, 2], "b": "two"}))
    db.session.commit()


def _summary(url: str) -> dict[str, tuple[int, str]]:
    engine = create_engine(url)
    try:
        return table_summary(engine)
    finally:
        engine.dispose()


def test_backup_and_restore_round_trip_every_table(
    app: Flask, runner, auth, tmp_path: Path, scratch_url: str
) -> None:
    _some_data(auth)
    backup_file = tmp_path / "portal.backup"
    result = runner.invoke(args=["backup", "create", "--out", str(backup_file)])
    assert result.exit_code == 0, result.output
    assert backup_file.stat().st_mode & 0o077 == 0
    before = table_summary(db.engine)
    assert before["user_account"][0] >= 1 and before["audit_event"][0] >= 1
    assert before["job"][0] == 1

    target = create_app(make_test_config(scratch_url))
    with target.app_context():
        result = target.test_cli_runner().invoke(args=["backup", "restore", str(backup_file)])
        db.engine.dispose()
    assert result.exit_code == 0, result.output
    assert "Restored" in result.output

    after = _summary(scratch_url)
    assert after == before


def test_restore_refuses_to_overwrite_data_without_yes(
    app: Flask, runner, auth, tmp_path: Path, scratch_url: str
) -> None:
    _some_data(auth)
    backup_file = tmp_path / "portal.backup"
    assert runner.invoke(args=["backup", "create", "--out", str(backup_file)]).exit_code == 0
    before = table_summary(db.engine)

    target = create_app(make_test_config(scratch_url))
    target_runner = target.test_cli_runner()
    with target.app_context():
        assert target_runner.invoke(args=["backup", "restore", str(backup_file)]).exit_code == 0
        # Something happens in the target after the restore; a second restore must ask first.
        db.session.add(jobs.Job(kind="test.after-restore", params={}))
        db.session.commit()
        refused = target_runner.invoke(args=["backup", "restore", str(backup_file)])
        db.engine.dispose()
    assert refused.exit_code != 0
    assert "--yes" in refused.output
    assert _summary(scratch_url)["job"][0] == 2  # nothing was touched

    with target.app_context():
        forced = target_runner.invoke(args=["backup", "restore", str(backup_file), "--yes"])
        db.engine.dispose()
    assert forced.exit_code == 0, forced.output
    assert _summary(scratch_url) == before


def test_restore_rejects_a_file_that_is_not_a_backup(app: Flask, runner, tmp_path: Path) -> None:
    bogus = tmp_path / "notes.txt"
    bogus.write_text("not a database")
    result = runner.invoke(args=["backup", "restore", str(bogus)])
    assert result.exit_code != 0
    assert "is not a" in result.output
