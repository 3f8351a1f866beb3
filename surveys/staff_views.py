"""Staff pages: build, preview, duplicate, watch, read, record, export, import and publish."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from werkzeug.wrappers import Response as WerkzeugResponse

from portal.areas import services as areas
from portal.auth.roles import protect_blueprint
from surveys import content, exports, readability, results, routing, services
from surveys.answer_languages import UNKNOWN
from surveys.forms import build_page_form
from surveys.models import CHANNELS, Consultation
from surveys.questions import FIXED_OPTIONS, KINDS, answer_display
from surveys.staff_forms import (
    ACTION_STATUS_LABELS,
    CHANNEL_LABELS,
    ActionForm,
    ButtonForm,
    ConsultationForm,
    DuplicateForm,
    ExcludeForm,
    ImportForm,
    QuestionForm,
    ResultsForm,
    SectionForm,
    StatusForm,
    assisted_channel_field,
    choices,
    translation_form,
)

bp = Blueprint("surveys_staff", __name__, url_prefix="/staff/consultations")
protect_blueprint(bp, "analyst", "staff")

# Allowed moves between statuses; reopening a closed consultation is allowed (a date slip).
NEXT_STATUSES = {
    "draft": ["open"],
    "open": ["closed"],
    "closed": ["open", "published"],
    "published": ["closed"],
}
STATUS_LABELS = {
    "draft": _l("Draft"),
    "open": _l("Open"),
    "closed": _l("Closed"),
    "published": _l("Results published"),
}


def _consultation(consultation_id: int) -> Consultation:
    consultation = services.consultation_by_id(consultation_id)
    if consultation is None:
        abort(404)
    return consultation


def _district_choices(form_field: Any) -> None:
    form_field.choices = choices([(d.id, d.name) for d in areas.districts()])


def _ids(values: list[str] | None) -> list[int]:
    return [int(v) for v in values or [] if str(v).isdigit()]


@bp.get("/")
def index() -> str:
    """All consultations, with their status and response counts."""
    rows = [(c, services.response_count(c)) for c in services.all_consultations()]
    return render_template("surveys/staff/index.html", rows=rows, status_labels=STATUS_LABELS)


@bp.route("/new", methods=["GET", "POST"])
def create() -> WerkzeugResponse | str:
    """Start a new consultation (a draft)."""
    form = ConsultationForm()
    _district_choices(form.districts)
    if form.validate_on_submit():
        consultation = services.create_consultation(
            form.title.data,
            form.summary.data,
            district_ids=[] if form.countywide.data else _ids(form.districts.data),
            created_by_id=current_user.id,
            background=form.background.data or "",
            audience_note=form.audience_note.data or "",
            countywide=bool(form.countywide.data),
            opens_on=form.opens_on.data,
            closes_on=form.closes_on.data,
            privacy_notice=form.privacy_notice.data or "",
            easy_read=bool(form.easy_read.data),
            easy_read_summary=form.easy_read_summary.data or "",
        )
        flash(_("Consultation created. Now add pages and questions."))
        return redirect(url_for("surveys_staff.detail", consultation_id=consultation.id))
    return render_template("surveys/staff/consultation_form.html", form=form, consultation=None)


@bp.get("/<int:consultation_id>")
def detail(consultation_id: int) -> str:
    """The builder: details, pages and questions, status, and links to everything else."""
    consultation = _consultation(consultation_id)
    return render_template(
        "surveys/staff/detail.html",
        consultation=consultation,
        kinds=KINDS,
        next_statuses=NEXT_STATUSES[consultation.status],
        status_labels=STATUS_LABELS,
        button=ButtonForm(),
        status_form=StatusForm(),
        response_count=services.response_count(consultation),
        questions_by_id=services.questions_by_id(consultation),
        max_reading_age=_max_reading_age(),
        hard_texts=readability.hard_texts(consultation, _max_reading_age()),
        translated=content.languages_with_content(consultation),
    )


def _max_reading_age() -> int:
    return int(
        current_app.config.get("SURVEYS_MAX_READING_AGE", readability.DEFAULT_MAX_READING_AGE)
    )


def _other_languages() -> dict[str, dict[str, str]]:
    return {k: v for k, v in current_app.config["LANGUAGES"].items() if k != "en"}


@bp.route("/<int:consultation_id>/translations/<lang>", methods=["GET", "POST"])
def translation(consultation_id: int, lang: str) -> WerkzeugResponse | str:
    """Type the consultation's text in another language, with the English beside each box."""
    consultation = _consultation(consultation_id)
    languages = _other_languages()
    if lang not in languages:
        abort(404)
    fields = content.translation_fields(consultation)
    form = translation_form(fields, {f.name: f.current(lang) for f in fields})
    if form.validate_on_submit():
        services.save_translations(
            consultation, lang, {f.name: form[f.name].data or "" for f in fields}
        )
        flash(_("Translation into %(language)s saved.", language=languages[lang]["name"]))
        return redirect(url_for("surveys_staff.detail", consultation_id=consultation.id))
    return render_template(
        "surveys/staff/translation_form.html",
        consultation=consultation,
        form=form,
        fields=fields,
        code=lang,
        language=languages[lang],
    )


@bp.route("/<int:consultation_id>/edit", methods=["GET", "POST"])
def edit(consultation_id: int) -> WerkzeugResponse | str:
    """Change a consultation's details."""
    consultation = _consultation(consultation_id)
    form = ConsultationForm(obj=consultation)
    _district_choices(form.districts)
    if request.method == "GET":
        form.districts.data = [str(d.id) for d in consultation.districts]
    if form.validate_on_submit():
        services.update_consultation(
            consultation,
            district_ids=[] if form.countywide.data else _ids(form.districts.data),
            title=form.title.data,
            summary=form.summary.data,
            background=form.background.data or "",
            audience_note=form.audience_note.data or "",
            countywide=bool(form.countywide.data),
            opens_on=form.opens_on.data,
            closes_on=form.closes_on.data,
            privacy_notice=form.privacy_notice.data or "",
            easy_read=bool(form.easy_read.data),
            easy_read_summary=form.easy_read_summary.data or "",
        )
        flash(_("Details saved."))
        return redirect(url_for("surveys_staff.detail", consultation_id=consultation.id))
    return render_template(
        "surveys/staff/consultation_form.html", form=form, consultation=consultation
    )


@bp.post("/<int:consultation_id>/status")
def change_status(consultation_id: int) -> WerkzeugResponse:
    """Open, close or publish a consultation."""
    consultation = _consultation(consultation_id)
    form = StatusForm()
    if form.validate_on_submit() and form.status.data in NEXT_STATUSES[consultation.status]:
        if form.status.data == "open" and not services.pages(consultation):
            flash(_("Add at least one question before opening the consultation."))
        else:
            services.set_status(consultation, form.status.data)
            flash(_("Status changed to %(s)s.", s=STATUS_LABELS[form.status.data]))
    return redirect(url_for("surveys_staff.detail", consultation_id=consultation.id))


@bp.route("/<int:consultation_id>/pages/new", methods=["GET", "POST"])
@bp.route("/<int:consultation_id>/pages/<int:section_id>", methods=["GET", "POST"])
def section_form(consultation_id: int, section_id: int | None = None) -> WerkzeugResponse | str:
    """Add or change a page."""
    consultation = _consultation(consultation_id)
    section = services.section_by_id(consultation, section_id) if section_id else None
    if section_id and section is None:
        abort(404)
    form = SectionForm(obj=section)
    if form.validate_on_submit():
        fields = {
            "title": form.title.data,
            "intro": form.intro.data or "",
            "content_note": form.content_note.data or "",
        }
        if section is None:
            services.add_section(consultation, **fields)
        else:
            services.update_item(section, **fields)
        return redirect(url_for("surveys_staff.detail", consultation_id=consultation.id))
    return render_template(
        "surveys/staff/section_form.html", form=form, consultation=consultation, section=section
    )


@bp.post("/<int:consultation_id>/pages/<int:section_id>/move")
def move_section(consultation_id: int, section_id: int) -> WerkzeugResponse:
    """Move a page up or down."""
    consultation = _consultation(consultation_id)
    section = services.section_by_id(consultation, section_id) or abort(404)
    form = ButtonForm()
    if form.validate_on_submit():
        services.move_item(section, form.direction.data)
    return redirect(url_for("surveys_staff.detail", consultation_id=consultation.id))


@bp.post("/<int:consultation_id>/pages/<int:section_id>/delete")
def delete_section(consultation_id: int, section_id: int) -> WerkzeugResponse:
    """Delete a page and its questions (drafts only: answers depend on them later)."""
    consultation = _consultation(consultation_id)
    section = services.section_by_id(consultation, section_id) or abort(404)
    if ButtonForm().validate_on_submit():
        if consultation.status != "draft":
            flash(_("Pages can only be deleted while the consultation is a draft."))
        else:
            services.delete_item(section)
    return redirect(url_for("surveys_staff.detail", consultation_id=consultation.id))


def _question_fields(form: QuestionForm) -> dict[str, Any]:
    condition = None
    if form.condition_question.data:
        values = [v.strip() for v in (form.condition_values.data or "").splitlines() if v.strip()]
        condition = {"question_id": int(form.condition_question.data), "any_of": values}
    return {
        "kind": form.kind.data,
        "text": form.text.data,
        "hint": form.hint.data or "",
        "required": bool(form.required.data),
        "options": form.option_list() or None,
        "max_length": form.max_length.data or 2000,
        "condition": condition,
    }


@bp.route("/<int:consultation_id>/pages/<int:section_id>/questions/new", methods=["GET", "POST"])
@bp.route(
    "/<int:consultation_id>/pages/<int:section_id>/questions/<int:question_id>",
    methods=["GET", "POST"],
)
def question_form(
    consultation_id: int, section_id: int, question_id: int | None = None
) -> WerkzeugResponse | str:
    """Add or change a question, including when it shows."""
    consultation = _consultation(consultation_id)
    section = services.section_by_id(consultation, section_id) or abort(404)
    question = services.question_by_id(consultation, question_id) if question_id else None
    if question_id and (question is None or question.section_id != section.id):
        abort(404)
    form = QuestionForm(obj=question)
    earlier = services.earlier_questions(consultation, section)
    form.condition_question.choices = choices(
        [("", _("Always show this question"))] + [(q.id, q.text[:90]) for q in earlier]
    )
    if request.method == "GET" and question is not None:
        form.options.data = "\n".join(question.options or [])
        if question.condition:
            form.condition_question.data = str(question.condition.get("question_id", ""))
            form.condition_values.data = "\n".join(routing.condition_values(question.condition))
    if form.validate_on_submit():
        fields = _question_fields(form)
        if question is None:
            kind, text = fields.pop("kind"), fields.pop("text")
            services.add_question(section, kind, text, **fields)
        else:
            services.update_item(question, **fields)
        return redirect(url_for("surveys_staff.detail", consultation_id=consultation.id))
    return render_template(
        "surveys/staff/question_form.html",
        form=form,
        consultation=consultation,
        section=section,
        question=question,
        fixed_options=FIXED_OPTIONS,
        earlier=earlier,
    )


@bp.post("/<int:consultation_id>/questions/<int:question_id>/move")
def move_question(consultation_id: int, question_id: int) -> WerkzeugResponse:
    """Move a question up or down its page."""
    consultation = _consultation(consultation_id)
    question = services.question_by_id(consultation, question_id) or abort(404)
    form = ButtonForm()
    if form.validate_on_submit():
        services.move_item(question, form.direction.data)
    return redirect(url_for("surveys_staff.detail", consultation_id=consultation.id))


@bp.post("/<int:consultation_id>/questions/<int:question_id>/delete")
def delete_question(consultation_id: int, question_id: int) -> WerkzeugResponse:
    """Delete a question (drafts only)."""
    consultation = _consultation(consultation_id)
    question = services.question_by_id(consultation, question_id) or abort(404)
    if ButtonForm().validate_on_submit():
        if consultation.status != "draft":
            flash(_("Questions can only be deleted while the consultation is a draft."))
        else:
            services.delete_item(question)
    return redirect(url_for("surveys_staff.detail", consultation_id=consultation.id))


@bp.get("/<int:consultation_id>/preview/<int:number>")
def preview(consultation_id: int, number: int) -> str:
    """See a page as a resident would (answers are not saved; conditions shown as notes)."""
    consultation = _consultation(consultation_id)
    all_pages = services.pages(consultation)
    if not 0 < number <= len(all_pages):
        abort(404)
    questions = all_pages[number - 1]
    form = build_page_form(questions, services.district_names())
    return render_template(
        "surveys/staff/preview.html",
        consultation=consultation,
        section=services.page_sections(consultation)[number - 1],
        questions=questions,
        form=form,
        number=number,
        total=len(all_pages),
        back_url=url_for("surveys_staff.detail", consultation_id=consultation.id),
        support=[],
        resume_code=None,
        preview=True,
        questions_by_id=services.questions_by_id(consultation),
    )


@bp.route("/<int:consultation_id>/duplicate", methods=["GET", "POST"])
def duplicate(consultation_id: int) -> WerkzeugResponse | str:
    """Copy the questionnaire for another district or borough, in one step."""
    consultation = _consultation(consultation_id)
    form = DuplicateForm()
    _district_choices(form.districts)
    if request.method == "GET":
        form.title.data = consultation.title
    if form.validate_on_submit():
        copy = services.duplicate_consultation(
            consultation, form.title.data, _ids(form.districts.data), current_user.id
        )
        flash(_("Copy made. Check the dates and details before opening it."))
        return redirect(url_for("surveys_staff.detail", consultation_id=copy.id))
    return render_template("surveys/staff/duplicate.html", form=form, consultation=consultation)


@bp.get("/<int:consultation_id>/dashboard")
def dashboard(consultation_id: int) -> str:
    """Responses per district per day, completion and drop-off, closed-question results."""
    consultation = _consultation(consultation_id)
    names, days, counts = services.daily_counts(consultation)
    started, sent, progress = services.page_progress(consultation)
    question_results = services.closed_results(consultation, public=False)
    return render_template(
        "surveys/staff/dashboard.html",
        consultation=consultation,
        names=names,
        days=days,
        counts=counts,
        started=started,
        sent=sent,
        progress=progress,
        results=question_results,
        chart_bars=results.chart_bars,
        all_areas=results.ALL_AREAS,
        total=services.response_count(consultation),
        language_counts=services.answer_language_counts(
            services.answers_with_languages(consultation)
        ),
        language_names=_language_names(),
    )


def _language_names() -> dict[str, str]:
    names = {code: str(v["name"]) for code, v in current_app.config["LANGUAGES"].items()}
    names[UNKNOWN] = _("Not sure (too short to tell)")
    return names


@bp.get("/<int:consultation_id>/other-languages")
def other_languages(consultation_id: int) -> str:
    """Free-text answers that look written in a language other than English, to read or
    have translated."""
    consultation = _consultation(consultation_id)
    detected = services.answers_with_languages(consultation)
    return render_template(
        "surveys/staff/other_languages.html",
        consultation=consultation,
        answers=[d for d in detected if d.language not in {"en", UNKNOWN}],
        questions_by_id=services.questions_by_id(consultation),
        language_names=_language_names(),
    )


@bp.get("/<int:consultation_id>/responses")
def responses(consultation_id: int) -> str:
    """Sent responses, filtered by district, channel, excluded or duplicate."""
    consultation = _consultation(consultation_id)
    district = areas.district_by_slug(request.args.get("district", ""))
    channel = request.args.get("channel") if request.args.get("channel") in CHANNELS else None
    show = request.args.get("show", "all")
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    found, total = services.responses_for(
        consultation,
        district_id=district.id if district else None,
        channel=channel,
        show=show,
        limit=100,
        offset=(page - 1) * 100,
    )
    return render_template(
        "surveys/staff/responses.html",
        consultation=consultation,
        responses=found,
        total=total,
        page=page,
        districts=areas.districts(),
        district=district,
        channel=channel,
        channels=CHANNEL_LABELS,
        show=show,
    )


@bp.route("/<int:consultation_id>/responses/<int:response_id>", methods=["GET", "POST"])
def response_detail(consultation_id: int, response_id: int) -> WerkzeugResponse | str:
    """Read one response (the view is audited); exclude it or bring it back."""
    consultation = _consultation(consultation_id)
    form = ExcludeForm()
    if form.validate_on_submit():
        response = services.view_response(consultation, response_id) or abort(404)
        services.set_excluded(response, not response.excluded, form.reason.data or "")
        flash(_("Response excluded.") if response.excluded else _("Response included again."))
        return redirect(
            url_for(
                "surveys_staff.response_detail",
                consultation_id=consultation.id,
                response_id=response.id,
            )
        )
    response = services.view_response(consultation, response_id)
    if response is None:
        abort(404)
    answers = services.answers_of(response)
    rows = [
        {"question": q, "answer": answer_display(answers.get(q.id))}
        for q in consultation.questions
        if q.id in answers
    ]
    return render_template(
        "surveys/staff/response.html",
        consultation=consultation,
        response=response,
        rows=rows,
        form=form,
        channels=CHANNEL_LABELS,
    )


@bp.route("/<int:consultation_id>/assisted", methods=["GET", "POST"])
def assisted(consultation_id: int) -> WerkzeugResponse | str:
    """Enter a response taken on paper or by phone; the channel and who entered it are kept."""
    consultation = _consultation(consultation_id)
    questions = consultation.questions
    form = build_page_form(
        questions,
        services.district_names(),
        enforce_required=False,
        extra={"channel": assisted_channel_field()},
        lang="en",
    )
    if form.validate_on_submit():
        answers = {q.id: form[q.field_name].data for q in questions}
        shown = routing.visible_questions(questions, answers)
        values = {q: form[q.field_name].data for q in shown}
        response = services.record_assisted(
            consultation, values, form["channel"].data, current_user.id
        )
        flash(_("Response %(ref)s recorded.", ref=response.reference))
        return redirect(url_for("surveys_staff.assisted", consultation_id=consultation.id))
    return render_template(
        "surveys/staff/assisted.html",
        consultation=consultation,
        questions=questions,
        form=form,
    )


def _export(consultation: Consultation, kind: str) -> WerkzeugResponse:
    headers, rows = services.export_rows(consultation)
    if kind == "xlsx":
        body = exports.to_xlsx(headers, rows)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        body = exports.to_csv(headers, rows)
        mimetype = "text/csv"
    response = current_app.response_class(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{consultation.slug}-responses.{kind}"'
    )
    return response


@bp.get("/<int:consultation_id>/export.csv")
def export_csv(consultation_id: int) -> WerkzeugResponse:
    """All responses as CSV."""
    return _export(_consultation(consultation_id), "csv")


@bp.get("/<int:consultation_id>/export.xlsx")
def export_xlsx(consultation_id: int) -> WerkzeugResponse:
    """All responses as an Excel workbook."""
    return _export(_consultation(consultation_id), "xlsx")


@bp.route("/import", methods=["GET", "POST"])
def import_responses() -> WerkzeugResponse | str:
    """Import responses gathered elsewhere; every bad row is listed and nothing is imported."""
    form = ImportForm()
    targets = [c for c in services.all_consultations() if services.free_text_questions(c.id)]
    form.into.choices = choices(
        [("", _("A new consultation"))] + [(c.id, c.title) for c in targets]
    )
    problems: list[str] = []
    if form.validate_on_submit():
        into = services.consultation_by_id(int(form.into.data)) if form.into.data else None
        result = services.check_import(
            form.file.data.read(),
            form.text_column.data,
            form.district_column.data or None,
            form.id_column.data or None,
            into=into,
        )
        if result.errors:
            problems = result.errors
            form.file.errors = [
                _("%(n)d problem(s) found in the file; nothing was imported", n=len(problems))
            ]
        else:
            consultation = into or services.create_import_consultation(
                form.title.data, form.title.data, created_by_id=current_user.id
            )
            count = services.import_rows(consultation, result.rows, user_id=current_user.id)
            flash(_("Imported %(n)d response(s).", n=count))
            return redirect(url_for("surveys_staff.detail", consultation_id=consultation.id))
    return render_template("surveys/staff/import.html", form=form, problems=problems)


@bp.route("/<int:consultation_id>/results", methods=["GET", "POST"])
def results_editor(consultation_id: int) -> WerkzeugResponse | str:
    """Write the public summary and manage the actions ("we did")."""
    consultation = _consultation(consultation_id)
    form = ResultsForm(obj=consultation)
    if form.validate_on_submit():
        services.update_consultation(consultation, results_summary=form.results_summary.data or "")
        flash(_("Summary saved."))
        return redirect(url_for("surveys_staff.results_editor", consultation_id=consultation.id))
    return render_template(
        "surveys/staff/results.html",
        consultation=consultation,
        form=form,
        button=ButtonForm(),
        action_statuses=ACTION_STATUS_LABELS,
    )


@bp.route("/<int:consultation_id>/actions/new", methods=["GET", "POST"])
@bp.route("/<int:consultation_id>/actions/<int:action_id>", methods=["GET", "POST"])
def action_form(consultation_id: int, action_id: int | None = None) -> WerkzeugResponse | str:
    """Add or change an action the partnership has committed to."""
    consultation = _consultation(consultation_id)
    action = services.action_by_id(consultation, action_id) if action_id else None
    if action_id and action is None:
        abort(404)
    form = ActionForm(obj=action)
    _district_choices(form.districts)
    if request.method == "GET" and action is not None:
        form.districts.data = [str(d.id) for d in action.districts]
    if form.validate_on_submit():
        services.save_action(
            consultation,
            action,
            form.title.data,
            form.description.data or "",
            form.status.data,
            _ids(form.districts.data),
        )
        return redirect(url_for("surveys_staff.results_editor", consultation_id=consultation.id))
    return render_template(
        "surveys/staff/action_form.html", form=form, consultation=consultation, action=action
    )


@bp.post("/<int:consultation_id>/actions/<int:action_id>/delete")
def delete_action(consultation_id: int, action_id: int) -> WerkzeugResponse:
    """Remove an action."""
    consultation = _consultation(consultation_id)
    action = services.action_by_id(consultation, action_id) or abort(404)
    if ButtonForm().validate_on_submit():
        services.delete_item(action)
    return redirect(url_for("surveys_staff.results_editor", consultation_id=consultation.id))
