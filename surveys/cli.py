"""`flask consultations ...`: import responses from CSV, and tidy expired drafts."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask

from surveys import services


def init_app(app: Flask) -> None:
    """Register the `consultations` CLI group."""

    @app.cli.group("consultations")
    def consultations() -> None:
        """Consultations: import responses, tidy drafts."""

    @consultations.command("import-csv")
    @click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option("--title", help="Title of the new consultation (not needed with --into).")
    @click.option("--text-column", required=True, help="Column holding the answer text.")
    @click.option("--district-column", help="Column holding the district or borough.")
    @click.option("--id-column", help="Column holding the source's own id for each row.")
    @click.option("--into", "into_slug", help="Add to this existing consultation instead.")
    @click.option("--question", "question_text", default="", help="Wording of the question asked.")
    def import_csv(
        file: Path,
        title: str | None,
        text_column: str,
        district_column: str | None,
        id_column: str | None,
        into_slug: str | None,
        question_text: str,
    ) -> None:
        """Import responses gathered elsewhere; nothing is imported unless every row is good."""
        into = None
        if into_slug:
            into = services.consultation_by_slug(into_slug)
            if into is None:
                raise click.ClickException(f"No consultation with the slug {into_slug!r}.")
            if not services.free_text_questions(into.id):
                raise click.ClickException(f"{into_slug!r} has no free-text question.")
        elif not title:
            raise click.UsageError("Give --title for a new consultation, or --into SLUG.")
        result = services.check_import(
            file.read_bytes(), text_column, district_column, id_column, into=into
        )
        if result.errors:
            for error in result.errors:
                click.echo(f"{file.name}: {error}", err=True)
            raise click.ClickException(
                f"{len(result.errors)} problem(s) found; nothing was imported."
            )
        consultation = into or services.create_import_consultation(
            title or "", question_text or title or ""
        )
        count = services.import_rows(consultation, result.rows)
        click.echo(f"Imported {count} response(s).", err=True)
        click.echo(consultation.slug)

    @consultations.command("purge-drafts")
    def purge_drafts() -> None:
        """Delete unfinished responses past their expiry time (SURVEYS_DRAFT_DAYS)."""
        click.echo(f"Deleted {services.purge_expired_drafts()} expired draft(s).")
