"""Web glue for the theme analysis: background jobs, the staff workbench, CLI and findings."""

from __future__ import annotations

from pathlib import Path

import click
from flask import Flask, render_template
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from nlp.web.views import bp

__all__ = ["bp", "init_app"]


def _findings_section(consultation: object) -> Markup | None:
    from nlp.web import services

    findings = services.published_findings(consultation.id)  # type: ignore[attr-defined]
    if not findings:
        return None
    return Markup(render_template("nlp/findings_section.html", findings=findings))  # noqa: S704


def _api_findings(consultation: object) -> list[dict]:
    from nlp.web import services

    return services.published_findings(consultation.id)  # type: ignore[attr-defined]


def _since(value: object) -> str:
    """'3 hours ago' for a naive-UTC time."""
    from flask_babel import format_timedelta

    from portal.clock import utcnow

    return format_timedelta(value - utcnow(), add_direction=True)  # type: ignore[operator]


def _init_safeguarding(app: Flask) -> None:
    import os

    from nlp.web import safeguarding_services
    from nlp.web.safeguarding_views import bp as safeguarding_bp
    from portal.staff import add_staff_link

    app.config.setdefault(
        "SAFEGUARDING_TARGET_HOURS", int(os.environ.get("SAFEGUARDING_TARGET_HOURS", "24"))
    )
    app.config.setdefault(
        "SAFEGUARDING_LEAD_EMAILS",
        [e.strip() for e in os.environ.get("SAFEGUARDING_LEAD_EMAILS", "").split(",") if e.strip()],
    )
    # Tests screen synchronously; a live site screens in the background until models are warm.
    app.config.setdefault("SAFEGUARDING_SYNC", bool(app.config.get("TESTING")))
    app.register_blueprint(safeguarding_bp)
    app.extensions["answer_screener"] = safeguarding_services.screen_answer
    app.extensions["post_screener"] = safeguarding_services.screen_post
    add_staff_link(
        app,
        _l("Safeguarding queue"),
        "safeguarding.queue",
        _l("Answers and posts that may disclose someone is at risk."),
        ("safeguarding",),
    )
    app.add_template_filter(_since, "timedeltaformat_since")

    state = {"started": False}

    @app.before_request
    def _warm_screener_once() -> None:
        if not state["started"] and not app.config.get("TESTING"):
            state["started"] = True
            safeguarding_services.warm_up_in_background(app)


def _demo_themes() -> str:
    """Run the theme analysis on each demo consultation, so analysts see themes at once."""
    from flask import current_app

    from nlp.web import services
    from surveys import services as surveys

    if not current_app.config.get("DEMO_RUN_THEMES", True):
        return "Theme analysis: skipped for the demo (DEMO_RUN_THEMES is off)."
    current_app.config["JOBS_INLINE"] = True
    done = []
    for consultation in surveys.all_consultations():
        for question in surveys.free_text_questions(consultation.id)[:1]:
            if len(services.analysable_answers(consultation.id, question.id)) >= 20:
                run = services.start_run(consultation.id, question.id, seed=42)
                done.append(f"{consultation.title}: {services.run_by_id(run.id).status}")
    return "Theme analysis: " + ("; ".join(done) or "no consultation had enough answers")


def init_app(app: Flask) -> None:
    """Register the workbench, safeguarding, the public findings hooks and `flask themes`."""
    from portal.cli import register_demo_loader
    from portal.staff import add_staff_link

    app.register_blueprint(bp)
    _init_safeguarding(app)
    register_demo_loader(app, _demo_themes)
    add_staff_link(
        app,
        _l("Theme analysis"),
        "themes.index",
        _l("Group free-text answers into themes per borough, curate and publish them."),
        ("analyst", "staff"),
    )
    app.extensions.setdefault("results_sections", []).append(_findings_section)
    app.extensions["api_findings"] = _api_findings

    @app.cli.group("themes")
    def themes_cli() -> None:
        """Theme analysis of free-text answers."""

    @themes_cli.command("run")
    @click.argument("slug")
    @click.option(
        "--question",
        "question_id",
        type=int,
        help="Question id (default: the first free-text question).",
    )
    @click.option("--seed", type=int, default=42, show_default=True)
    @click.option(
        "--carry-forward", is_flag=True, help="Use the last run's curated themes as the codeframe."
    )
    def run_command(slug: str, question_id: int | None, seed: int, carry_forward: bool) -> None:
        """Run the theme analysis for a consultation now, with a progress bar."""
        from nlp.web import services
        from portal import jobs
        from surveys import services as surveys

        consultation = surveys.consultation_by_slug(slug)
        if consultation is None:
            raise click.ClickException(f"No consultation with slug {slug!r}.")
        questions = surveys.free_text_questions(consultation.id)
        if not questions:
            raise click.ClickException("That consultation has no free-text questions.")
        if question_id is None:
            question_id = questions[0].id
        elif question_id not in {q.id for q in questions}:
            raise click.ClickException(
                f"Question {question_id} is not a free-text question of {slug}; choose from "
                + ", ".join(str(q.id) for q in questions)
            )
        codeframe = (
            services.carried_forward_codeframe(consultation.id, question_id)
            if carry_forward
            else []
        )
        state = {"stage": None, "bar": None}

        def show(stage: str, done: int, total: int) -> None:
            if stage != state["stage"]:
                if state["bar"] is not None:
                    state["bar"].render_finish()
                state["stage"] = stage
                state["bar"] = (
                    click.progressbar(length=max(total, 1), label=stage.capitalize().ljust(11))
                    if total
                    else None
                )
                if state["bar"] is None:
                    click.echo(stage.capitalize())
            if state["bar"] is not None:
                state["bar"].update(done - state["bar"].pos)

        app.config["JOBS_INLINE"] = True
        jobs.add_progress_listener(show)
        try:
            run = services.start_run(consultation.id, question_id, seed=seed, codeframe=codeframe)
        finally:
            jobs.remove_progress_listener(show)
            if state["bar"] is not None:
                state["bar"].render_finish()
        run = services.run_by_id(run.id)
        if run.status == "too_few":
            raise click.ClickException(run.message)
        if run.status != "finished":
            raise click.ClickException(f"The run failed; see run {run.id} in the staff area.")
        rows = services.theme_rows(run)
        click.echo(
            f"Run {run.id}: {len(rows)} themes from {run.answer_count} answers "
            f"({len(run.set_aside)} set aside as not English)."
        )
        for row in sorted(rows, key=lambda r: -r.size):
            click.echo(f"  {row.size:6d}  {row.theme.label}")

    @themes_cli.command("export")
    @click.argument("slug")
    @click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path))
    @click.option(
        "--format",
        "fmt",
        type=click.Choice(["csv", "xlsx"]),
        default=None,
        help="Default: from the file name, else csv.",
    )
    @click.option("--question", "question_id", type=int)
    def export_command(slug: str, out: Path, fmt: str | None, question_id: int | None) -> None:
        """Export the latest finished run, one row per response."""
        from nlp.web import services
        from nlp.web.views import write_csv, write_xlsx
        from surveys import services as surveys

        consultation = surveys.consultation_by_slug(slug)
        if consultation is None:
            raise click.ClickException(f"No consultation with slug {slug!r}.")
        questions = surveys.free_text_questions(consultation.id)
        question_ids = [question_id] if question_id else [q.id for q in questions]
        run = next(
            (
                r
                for qid in question_ids
                if (r := services.latest_run(consultation.id, qid, finished_only=True))
            ),
            None,
        )
        if run is None:
            raise click.ClickException(
                f"No finished theme run for {slug}; run `themes run {slug}` first."
            )
        fmt = fmt or ("xlsx" if out.suffix.lower() == ".xlsx" else "csv")
        rows = services.export_rows(run)
        out.write_bytes(write_xlsx(rows) if fmt == "xlsx" else write_csv(rows))
        click.echo(f"Wrote {len(rows)} rows from run {run.id} to {out}")
