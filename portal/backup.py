"""`flask backup create|restore`: pg_dump/pg_restore on PostgreSQL, SQLite's online backup API."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import click
from flask import Flask
from sqlalchemy import Engine, MetaData, func, inspect, select
from sqlalchemy.engine import URL

from portal.extensions import db

PG_MAGIC = b"PGDMP"
SQLITE_MAGIC = b"SQLite format 3\x00"
# Seeded by the migrations: a freshly migrated database holds these rows and is still "empty".
REFERENCE_TABLES = {"alembic_version", "district", "role", "forum_category"}


class BackupError(click.ClickException):
    """A backup or restore that cannot go ahead, with the reason for the operator."""


def table_summary(engine: Engine) -> dict[str, tuple[int, str]]:
    """Row count and a SHA-256 of the rows (in primary key order) for every table."""
    metadata = MetaData()
    metadata.reflect(bind=engine)
    summary: dict[str, tuple[int, str]] = {}
    with engine.connect() as connection:
        for table in metadata.sorted_tables:
            order = list(table.primary_key.columns) or list(table.columns)
            digest = hashlib.sha256()
            count = 0
            for row in connection.execute(select(table).order_by(*order)):
                digest.update(json.dumps(list(row), default=str, sort_keys=True).encode())
                count += 1
            summary[table.name] = (count, digest.hexdigest())
    return summary


def has_data(engine: Engine) -> bool:
    """Whether any model table beyond the migration-seeded reference data holds a row."""
    # Tables outside the models (SQLite's full-text index shadows) only mirror model rows.
    present = set(inspect(engine).get_table_names())
    with engine.connect() as connection:
        return any(
            connection.execute(select(func.count()).select_from(table)).scalar_one()
            for table in db.metadata.sorted_tables
            if table.name in present and table.name not in REFERENCE_TABLES
        )


def _libpq(url: URL) -> tuple[str, dict[str, str]]:
    """A libpq connection URL without the password, and an environment carrying it."""
    env = dict(os.environ)
    if url.password:
        # PGPASSWORD keeps the password out of the process list, where the URL would show it.
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def _tool(name: str) -> str:
    path = shutil.which(name) or f"/usr/bin/{name}"
    if not Path(path).exists():
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client).")
    return path


def _run(args: list[str], env: dict[str, str]) -> None:
    # Fixed tool path and argument list, no shell: nothing here is interpreted.
    result = subprocess.run(  # noqa: S603  # nosec B603
        args, env=env, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{Path(args[0]).name} failed: {result.stderr.strip()[-2000:]}")


def _sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise BackupError("An in-memory SQLite database cannot be backed up.")
    return Path(url.database)


def create_backup(engine: Engine, out: Path) -> None:
    """Write a consistent copy of the database to `out`, safe while the portal runs."""
    url = engine.url
    out.parent.mkdir(parents=True, exist_ok=True)
    if url.get_backend_name() == "postgresql":
        target, env = _libpq(url)
        _run([_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(out), target], env)
    elif url.get_backend_name() == "sqlite":
        source = sqlite3.connect(_sqlite_path(url))
        copy = sqlite3.connect(out)
        try:
            source.backup(copy)
        finally:
            copy.close()
            source.close()
    else:
        raise BackupError(f"No backup method for {url.get_backend_name()}.")
    out.chmod(0o600)  # a backup holds every resident's answers


def check_backup_file(engine: Engine, backup: Path) -> None:
    """Refuse a file that is not a backup this database's restore can read."""
    with backup.open("rb") as handle:
        header = handle.read(len(SQLITE_MAGIC))
    backend = engine.url.get_backend_name()
    if backend == "postgresql" and not header.startswith(PG_MAGIC):
        raise BackupError(f"{backup} is not a pg_dump custom-format file.")
    if backend == "sqlite" and header != SQLITE_MAGIC:
        raise BackupError(f"{backup} is not a SQLite database file.")


def restore_backup(engine: Engine, backup: Path) -> None:
    """Replace the database's contents with a backup made by `create_backup`."""
    url = engine.url
    check_backup_file(engine, backup)
    engine.dispose()  # no pooled connection may hold the old data open
    if url.get_backend_name() == "postgresql":
        target, env = _libpq(url)
        _run(
            [
                _tool("pg_restore"),
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                "--dbname",
                target,
                str(backup),
            ],
            env,
        )
    elif url.get_backend_name() == "sqlite":
        source = sqlite3.connect(f"file:{backup}?mode=ro", uri=True)
        target_db = sqlite3.connect(_sqlite_path(url))
        try:
            if source.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise BackupError(f"{backup} is damaged (SQLite quick_check failed).")
            source.backup(target_db)
        finally:
            target_db.close()
            source.close()
    else:
        raise BackupError(f"No restore method for {url.get_backend_name()}.")


def init_app(app: Flask) -> None:
    """Register the `backup` CLI group."""

    @app.cli.group("backup")
    def backup_cli() -> None:
        """Back up and restore the database."""

    @backup_cli.command("create")
    @click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path))
    def create(out: Path) -> None:
        """Write a backup of the whole database to a file."""
        create_backup(db.engine, out)
        tables = table_summary(db.engine)
        rows = sum(count for count, _ in tables.values())
        click.echo(f"Backed up {len(tables)} tables ({rows} rows) to {out}.")

    @backup_cli.command("restore")
    @click.argument("backup", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("--yes", is_flag=True, help="Overwrite a database that already holds data.")
    def restore(backup: Path, yes: bool) -> None:
        """Replace the database with a backup (refuses to overwrite data without --yes)."""
        check_backup_file(db.engine, backup)
        if has_data(db.engine) and not yes:
            raise BackupError(
                "The database already holds data; restoring would replace all of it. "
                "Take a backup first, then run again with --yes."
            )
        restore_backup(db.engine, backup)
        tables = table_summary(db.engine)
        rows = sum(count for count, _ in tables.values())
        click.echo(f"Restored {len(tables)} tables ({rows} rows) from {backup}.")
