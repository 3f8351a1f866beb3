"""`flask areas …`: reference data for districts, wards and postcodes."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask

from portal.areas import services
from portal.extensions import db


def init_app(app: Flask) -> None:
    """Register the `areas` CLI group."""

    @app.cli.group("areas")
    def areas() -> None:
        """Districts, wards and the postcode lookup."""

    @areas.command("seed")
    def seed() -> None:
        """Make sure the five districts and boroughs exist."""
        services.ensure_districts()
        db.session.commit()
        click.echo(", ".join(d.name for d in services.districts()))

    @areas.command("import-onspd")
    @click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @click.option(
        "--ward-names",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help="ONS ward names CSV (WDnnCD, WDnnNM) to name the wards.",
    )
    def import_onspd(file: Path, ward_names: Path | None) -> None:
        """Load a postcode → district/ward lookup from an ONS Postcode Directory CSV extract."""
        names = services.read_ward_names(ward_names) if ward_names else None
        report = services.import_onspd(file, names)
        if report.errors:
            for error in report.errors:
                click.echo(error, err=True)
            raise click.ClickException(
                f"{len(report.errors)} bad row(s); nothing was imported. Fix them and run again."
            )
        click.echo(
            f"Imported {report.imported} postcodes ({report.wards} new wards); skipped "
            f"{report.skipped_outside} outside Warwickshire and {report.skipped_terminated} "
            "terminated."
        )
