"""Staff review workbench for theme analysis: run, review, curate, publish, export."""

from __future__ import annotations

import csv
import io

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from nlp.web import services
from nlp.web.forms import MergeForm, MoveForm, NotesForm, RenameForm, SplitForm, StartRunForm
from nlp.web.models import Theme, ThemeAssignment, ThemeRun
from portal import jobs
from portal.auth.roles import protect_blueprint
from portal.extensions import db
from portal.jobs_models import Job
from surveys import services as surveys

bp = Blueprint("themes", __name__, url_prefix="/staff/themes", template_folder="templates")
protect_blueprint(bp, "analyst", "staff")


def _run_or_404(run_id: int) -> ThemeRun:
    run = services.run_by_id(run_id)
    if run is None:
        abort(404)
    return run


def _theme_or_404(run: ThemeRun, theme_id: int) -> Theme:
    theme = services.theme_by_id(run, theme_id)
    if theme is None:
        abort(404)
    return theme


def _assignment_or_404(run: ThemeRun, assignment_id: int) -> ThemeAssignment:
    assignment = db.session.get(ThemeAssignment, assignment_id)
    if assignment is None or assignment.run_id != run.id:
        abort(404)
    return assignment


@bp.get("/")
def index() -> str:
    """Consultations with free-text questions and their latest theme runs."""
    rows = []
    for consultation in surveys.all_consultations():
        questions = surveys.free_text_questions(consultation.id)
        if questions:
            rows.append((consultation, questions, services.runs_for(consultation.id)[:5]))
    return render_template("nlp/index.html", rows=rows)


@bp.route("/<slug>/run", methods=["GET", "POST"])
def start(slug: str) -> Response | str:
    """Choose a question (and optionally expected themes) and start a run."""
    consultation = surveys.consultation_by_slug(slug)
    if consultation is None:
        abort(404)
    questions = surveys.free_text_questions(consultation.id)
    form = StartRunForm()
    form.question.choices = [SelectChoice(q.id, q.text) for q in questions]
    if not questions:
        flash(_("This consultation has no free-text questions to analyse."))
        return redirect(url_for("themes.index"))
    if len(questions) == 1 and not form.is_submitted():
        form.question.data = questions[0].id
    if form.validate_on_submit():
        codeframe = services.parse_codeframe(form.codeframe.data or "")
        if form.carry_forward.data:
            codeframe = (
                services.carried_forward_codeframe(consultation.id, form.question.data) + codeframe
            )
        run = services.start_run(
            consultation.id,
            form.question.data,
            seed=form.seed.data if form.seed.data is not None else 42,
            codeframe=codeframe,
            user_id=current_user.id,
        )
        return redirect(url_for("themes.run", run_id=run.id))
    return render_template("nlp/start.html", consultation=consultation, form=form)


@bp.get("/runs/<int:run_id>")
def run(run_id: int) -> str:
    """A run: its progress while it works, then the theme list with shares per borough."""
    theme_run = _run_or_404(run_id)
    consultation = surveys.consultation_by_id(theme_run.consultation_id)
    job = db.session.get(Job, theme_run.job_id) if theme_run.job_id else None
    if job is not None and job.status == "failed" and theme_run.status in {"queued", "running"}:
        theme_run.status = "failed"
        db.session.commit()
    context = {"run": theme_run, "consultation": consultation, "job": job}
    if theme_run.status == "too_few":
        answers = services.redacted_answers(theme_run.consultation_id, theme_run.question_id)
        return render_template("nlp/too_few.html", answers=answers, **context)
    if theme_run.status != "finished":
        return render_template("nlp/progress.html", **context)
    rows = services.theme_rows(theme_run)
    areas = sorted({area for row in rows for area in row.counts})
    question = next(
        (
            q
            for q in surveys.free_text_questions(theme_run.consultation_id)
            if q.id == theme_run.question_id
        ),
        None,
    )
    return render_template("nlp/run.html", rows=rows, areas=areas, question=question, **context)


@bp.post("/runs/<int:run_id>/retry")
def retry(run_id: int) -> Response:
    """Start a failed run again with the same settings."""
    theme_run = _run_or_404(run_id)
    again = services.start_run(
        theme_run.consultation_id,
        theme_run.question_id,
        seed=theme_run.seed,
        codeframe=theme_run.codeframe,
        user_id=current_user.id,
    )
    return redirect(url_for("themes.run", run_id=again.id))


@bp.post("/runs/<int:run_id>/publish")
def publish(run_id: int) -> Response:
    """Publish the ticked themes to the consultation's public results page."""
    theme_run = _run_or_404(run_id)
    chosen = {int(x) for x in request.form.getlist("themes") if x.isdigit()}
    services.set_published(theme_run, chosen)
    flash(_("Published themes updated."))
    return redirect(url_for("themes.run", run_id=run_id))


@bp.route("/runs/<int:run_id>/themes/<int:theme_id>", methods=["GET"])
def theme(run_id: int, theme_id: int) -> tuple[str, int]:
    """One theme: label, description, keywords, quotes and every answer (redacted)."""
    theme_run = _run_or_404(run_id)
    found = _theme_or_404(theme_run, theme_id)
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    return _render_theme(theme_run, found, page=page)


def _curate_redirect(run_id: int, theme_id: int) -> Response:
    return redirect(url_for("themes.theme", run_id=run_id, theme_id=theme_id))


@bp.post("/runs/<int:run_id>/themes/<int:theme_id>/rename")
def rename(run_id: int, theme_id: int) -> Response | str:
    """Rename and describe a theme."""
    theme_run = _run_or_404(run_id)
    found = _theme_or_404(theme_run, theme_id)
    form = RenameForm()
    if form.validate_on_submit():
        services.rename_theme(
            theme_run, found, form.label.data.strip(), (form.description.data or "").strip()
        )
        flash(_("Theme renamed."))
        return _curate_redirect(run_id, theme_id)
    return _theme_page_with_errors(theme_run, found, rename=form)


@bp.post("/runs/<int:run_id>/themes/<int:theme_id>/notes")
def notes(run_id: int, theme_id: int) -> Response | str:
    """Save notes and mark the theme reviewed."""
    theme_run = _run_or_404(run_id)
    found = _theme_or_404(theme_run, theme_id)
    form = NotesForm()
    if form.validate_on_submit():
        services.save_notes(theme_run, found, form.notes.data or "", bool(form.reviewed.data))
        flash(_("Notes saved."))
        return _curate_redirect(run_id, theme_id)
    return _theme_page_with_errors(theme_run, found, notes=form)


@bp.post("/runs/<int:run_id>/themes/<int:theme_id>/merge")
def merge(run_id: int, theme_id: int) -> Response | str:
    """Merge another theme into this one."""
    theme_run = _run_or_404(run_id)
    found = _theme_or_404(theme_run, theme_id)
    form = MergeForm()
    form.other.choices = [
        SelectChoice(t.id, t.label) for t in services.live_themes(theme_run) if t.id != found.id
    ]
    if form.validate_on_submit():
        services.merge_themes(theme_run, found, _theme_or_404(theme_run, form.other.data))
        flash(_("Themes merged."))
        return _curate_redirect(run_id, theme_id)
    return _theme_page_with_errors(theme_run, found, merge=form)


@bp.post("/runs/<int:run_id>/themes/<int:theme_id>/split")
def split(run_id: int, theme_id: int) -> Response | str:
    """Split a theme by re-clustering its answers."""
    theme_run = _run_or_404(run_id)
    found = _theme_or_404(theme_run, theme_id)
    form = SplitForm()
    if form.validate_on_submit():
        try:
            created = services.split_theme(theme_run, found, form.parts.data)
        except ValueError as exc:
            form.parts.errors = [str(exc)]
        else:
            flash(_("Theme split into %(n)d themes.", n=len(created)))
            return redirect(url_for("themes.run", run_id=run_id))
    return _theme_page_with_errors(theme_run, found, split=form)


@bp.post("/runs/<int:run_id>/answers/<int:assignment_id>/move")
def move(run_id: int, assignment_id: int) -> Response:
    """Move an answer to another theme."""
    theme_run = _run_or_404(run_id)
    assignment = _assignment_or_404(theme_run, assignment_id)
    origin = assignment.theme_id
    target = services.theme_by_id(theme_run, request.form.get("target", type=int) or 0)
    if target is None or target.merged_into_id is not None:
        flash(_("Choose a theme to move the answer to."))
    else:
        services.move_answer(theme_run, assignment, target)
        flash(_("Answer moved to ‘%(label)s’.", label=target.label))
    return _curate_redirect(run_id, origin)


@bp.post("/runs/<int:run_id>/answers/<int:assignment_id>/exclude")
def exclude(run_id: int, assignment_id: int) -> Response:
    """Leave an answer out of counts and quotes, or put it back."""
    theme_run = _run_or_404(run_id)
    assignment = _assignment_or_404(theme_run, assignment_id)
    services.set_answer_excluded(theme_run, assignment, not assignment.excluded)
    return _curate_redirect(run_id, assignment.theme_id)


@bp.post("/runs/<int:run_id>/themes/<int:theme_id>/pin/<int:response_id>")
def pin(run_id: int, theme_id: int, response_id: int) -> Response:
    """Pin or unpin a quote."""
    theme_run = _run_or_404(run_id)
    services.toggle_pin(theme_run, _theme_or_404(theme_run, theme_id), response_id)
    return _curate_redirect(run_id, theme_id)


@bp.post("/runs/<int:run_id>/answers/<int:assignment_id>/original")
def original(run_id: int, assignment_id: int) -> str:
    """Show one answer's original, unredacted text (each request is audited)."""
    theme_run = _run_or_404(run_id)
    assignment = _assignment_or_404(theme_run, assignment_id)
    found = _theme_or_404(theme_run, assignment.theme_id)
    text = services.original_text(theme_run, assignment)
    return _theme_page_with_errors(theme_run, found, original=(assignment.id, text))


def _theme_page_with_errors(run: ThemeRun, found: Theme, **forms: object) -> tuple[str, int]:
    status = 200 if "original" in forms else 400
    return _render_theme(run, found, status=status, **forms)


def _render_theme(
    run: ThemeRun, found: Theme, page: int = 1, status: int = 200, **forms: object
) -> tuple[str, int]:
    """The theme page, with any submitted form (and its errors) in place of a fresh one."""
    answers, total = services.theme_answers(found, page)
    others = [t for t in services.live_themes(run) if t.id != found.id]
    merge = forms.get("merge") or MergeForm()
    merge.other.choices = [SelectChoice(t.id, t.label) for t in others]  # type: ignore[attr-defined]
    move = MoveForm()
    move.target.choices = [SelectChoice(t.id, t.label) for t in others]
    return render_template(
        "nlp/theme.html",
        run=run,
        theme=found,
        answers=answers,
        total=total,
        page=page,
        pages=max(1, -(-total // 25)),
        rename=forms.get("rename") or RenameForm(label=found.label, description=found.description),
        notes=forms.get("notes") or NotesForm(notes=found.notes, reviewed=found.reviewed),
        merge=merge,
        split=forms.get("split") or SplitForm(),
        move=move,
        others=others,
        original=forms.get("original"),
        form=next((f for f in forms.values() if hasattr(f, "errors") and f.errors), None),
    ), status


@bp.get("/runs/<int:run_id>/decisions")
def history(run_id: int) -> str:
    """Every curation decision on a run: who, when, what."""
    theme_run = _run_or_404(run_id)
    return render_template(
        "nlp/decisions.html", run=theme_run, decisions=services.decisions(theme_run)
    )


@bp.get("/runs/<int:run_id>/export.<fmt>")
def export(run_id: int, fmt: str) -> Response:
    """Download one row per answer as CSV or XLSX."""
    theme_run = _run_or_404(run_id)
    if fmt not in {"csv", "xlsx"} or theme_run.status != "finished":
        abort(404)
    rows = services.export_rows(theme_run)
    from portal import audit

    audit.record("themes.exported", f"theme_run:{run_id}", {"format": fmt, "rows": len(rows)})
    db.session.commit()
    name = f"themes-run-{run_id}.{fmt}"
    if fmt == "csv":
        body = write_csv(rows)
        mimetype = "text/csv"
    else:
        body = write_xlsx(rows)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(
        body, mimetype=mimetype, headers={"Content-Disposition": f"attachment; filename={name}"}
    )


def write_csv(rows: list[dict]) -> bytes:
    """The export as CSV bytes (UTF-8 with BOM so spreadsheet programs read it right)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=services.EXPORT_COLUMNS)
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _csv_safe(v) for k, v in row.items()})
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_safe(value: object) -> object:
    """Stop a spreadsheet treating an answer as a formula (CSV injection)."""
    if isinstance(value, str) and value[:1] in {"=", "+", "-", "@", "\t", "\r"}:
        return "'" + value
    return value


def write_xlsx(rows: list[dict]) -> bytes:
    """The export as an XLSX workbook."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Themes"
    sheet.append(services.EXPORT_COLUMNS)
    for row in rows:
        sheet.append([_csv_safe(row[c]) for c in services.EXPORT_COLUMNS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@bp.get("/runs/<int:run_id>/report")
def report(run_id: int) -> str:
    """A printable report of a run: themes, shares per borough as bar charts, quotes."""
    theme_run = _run_or_404(run_id)
    if theme_run.status != "finished":
        abort(404)
    consultation = surveys.consultation_by_id(theme_run.consultation_id)
    rows = services.theme_rows(theme_run)
    areas = sorted({area for row in rows for area in row.counts})
    return render_template(
        "nlp/report.html", run=theme_run, consultation=consultation, rows=rows, areas=areas
    )


__all__ = ["bp", "jobs"]
