"""Public consultation pages: finding, answering (page by page), saving, resuming, deleting."""

from __future__ import annotations

import logging
import secrets

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.wrappers import Response as WerkzeugResponse

from portal.areas import services as areas
from portal.email import send_email
from portal.extensions import db, limiter
from surveys import content, routing, services
from surveys.forms import (
    AreaSearchForm,
    DeleteConfirmForm,
    DeleteLookupForm,
    EmailResumeForm,
    ResumeForm,
    StartForm,
    SubmitAnswersForm,
    build_page_form,
)
from surveys.models import Consultation, Response
from surveys.results import suppress

log = logging.getLogger(__name__)
bp = Blueprint(
    "surveys",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/consultations/static",
)
ACTION_STATUS_LABELS = {
    "planned": _l("Planned"),
    "in_progress": _l("In progress"),
    "done": _l("Done"),
}
DRAFTS_KEY = "surveys_drafts"
SENT_KEY = "surveys_sent"


@bp.app_template_global("tr")
def translated(item: object, field: str) -> content.LocalText:
    """A consultation, page or question field in the resident's language (templates)."""
    return content.text(item, field)


@bp.app_template_global("shown_in_english")
def shown_in_english(consultation: Consultation) -> bool:
    """True when the resident chose another language and this consultation has no translation."""
    return not content.is_available(consultation)


def _public_post_limit() -> str:
    return current_app.config["PUBLIC_POST_RATE_LIMIT"]


def _locale() -> str:
    """The resident's language, recorded on their response."""
    return content.content_language()


def _consultation(slug: str) -> Consultation:
    consultation = services.consultation_by_slug(slug)
    if consultation is None or consultation.status == "draft":
        abort(404)
    return consultation


def _remember(store: str, consultation: Consultation, value: str | None) -> None:
    values = dict(session.get(store, {}))
    if value is None:
        values.pop(consultation.slug, None)
    else:
        values[consultation.slug] = value
    session[store] = values


def _current_response(consultation: Consultation) -> Response | None:
    code = session.get(DRAFTS_KEY, {}).get(consultation.slug)
    return services.response_by_code(consultation, code) if code else None


def _support_contacts(keys: list[str] | None) -> list[dict]:
    wanted = set(keys or [])
    return [c for c in current_app.config["HELP_CONTACTS"] if c["key"] in wanted]


def _resume_target(consultation: Consultation, response: Response) -> str:
    all_pages = services.pages(consultation)
    answers = services.answers_of(response)
    upcoming = routing.next_page(all_pages, (response.pages_done or 0) - 1, answers)
    if upcoming is None:
        return url_for("surveys.check_answers", slug=consultation.slug)
    return url_for("surveys.question_page", slug=consultation.slug, number=upcoming + 1)


@bp.get("/consultations")
def index() -> str:
    """Open consultations, filtered by district or by a postcode in one."""
    search = AreaSearchForm(request.args)
    district = areas.district_by_slug(request.args.get("district", ""))
    postcode_message = None
    if search.postcode.data and search.validate():
        found = areas.resolve_postcode(search.postcode.data)
        if found is not None:
            district = found.district
        elif areas.normalise_postcode(search.postcode.data) is None:
            search.postcode.errors = [_("Enter a postcode, like CV34 4RL")]
        else:
            postcode_message = _(
                "We could not find that postcode in Warwickshire. Choose your area from the list."
            )
    return render_template(
        "surveys/index.html",
        consultations=services.open_consultations(district),
        published=services.published_consultations()[:5],
        districts=areas.districts(),
        district=district,
        search=search,
        postcode_message=postcode_message,
    )


@bp.get("/consultations/<slug>")
def start(slug: str) -> str:
    """The start page (or, once closed, a polite note pointing to the results)."""
    consultation = _consultation(slug)
    if not services.is_accepting(consultation):
        return render_template(
            "surveys/closed.html", consultation=consultation, today=services.today()
        )
    form = StartForm(start_token=secrets.token_urlsafe(24))
    return render_template(
        "surveys/start.html",
        consultation=consultation,
        form=form,
        draft=_current_response(consultation),
        content_notes=[s.content_note for s in consultation.sections if s.content_note],
        easy_read=consultation.easy_read and request.args.get("version") == "easy",
    )


@bp.post("/consultations/<slug>/start")
@limiter.limit(_public_post_limit, methods=["POST"])
def begin(slug: str) -> WerkzeugResponse:
    """Start a draft response and go to the first page."""
    consultation = _consultation(slug)
    form = StartForm()
    if not services.is_accepting(consultation) or not form.validate_on_submit():
        return redirect(url_for("surveys.start", slug=slug))
    draft = services.start_draft(consultation, form.start_token.data or "", _locale())
    _remember(DRAFTS_KEY, consultation, draft.resume_code)
    if draft.status != "draft":
        return redirect(url_for("surveys.confirmation", slug=slug))
    return redirect(_resume_target(consultation, draft))


@bp.route("/consultations/<slug>/page/<int:number>", methods=["GET", "POST"])
@limiter.limit(_public_post_limit, methods=["POST"])
def question_page(slug: str, number: int) -> WerkzeugResponse | tuple[str, int] | str:
    """One page of questions: GET shows it, POST validates, saves and moves on."""
    consultation = _consultation(slug)
    if not services.is_accepting(consultation):
        return redirect(url_for("surveys.start", slug=slug))
    response = _current_response(consultation)
    if response is None or response.status != "draft":
        if response is not None:
            return redirect(url_for("surveys.confirmation", slug=slug))
        flash(_("Start the consultation, or use your code to carry on where you left off."))
        return redirect(url_for("surveys.start", slug=slug))
    all_pages = services.pages(consultation)
    index = number - 1
    if not 0 <= index < len(all_pages):
        abort(404)
    answers = services.answers_of(response)
    shown = routing.visible_questions(all_pages[index], answers)
    if not shown:
        upcoming = routing.next_page(all_pages, index, answers)
        if upcoming is None:
            return redirect(url_for("surveys.check_answers", slug=slug))
        return redirect(url_for("surveys.question_page", slug=slug, number=upcoming + 1))
    saving_for_later = "save_later" in request.form
    form = build_page_form(
        shown,
        services.district_names(),
        data={q.field_name: services.form_value(q, answers.get(q.id)) for q in shown},
        enforce_required=not saving_for_later,
    )
    status = 200
    if form.validate_on_submit():
        values = {q: form[q.field_name].data for q in shown}
        try:
            services.save_page(
                response, values, number, honeypot=bool(form.website.data), language=_locale()
            )
        except SQLAlchemyError:
            db.session.rollback()
            log.exception("could not save page %s of response %s", number, response.id)
            form.form_errors.append(
                _("Sorry, we could not save this page. Your earlier answers are safe. Try again.")
            )
            status = 503
        else:
            if saving_for_later:
                return redirect(url_for("surveys.saved", slug=slug))
            if request.args.get("change"):
                return redirect(url_for("surveys.check_answers", slug=slug))
            upcoming = routing.next_page(all_pages, index, services.answers_of(response))
            if upcoming is None:
                return redirect(url_for("surveys.check_answers", slug=slug))
            return redirect(url_for("surveys.question_page", slug=slug, number=upcoming + 1))
    previous = routing.previous_page(all_pages, index, answers)
    sections = services.page_sections(consultation)
    return render_template(
        "surveys/page.html",
        consultation=consultation,
        section=sections[index],
        questions=shown,
        form=form,
        number=number,
        total=len(all_pages),
        back_url=(
            url_for("surveys.question_page", slug=slug, number=previous + 1)
            if previous is not None
            else url_for("surveys.start", slug=slug)
        ),
        support=_support_contacts(response.support_keys),
        resume_code=response.resume_code,
        preview=False,
    ), status


def _check_rows(consultation: Consultation, response: Response) -> tuple[list[dict], list]:
    all_pages = services.pages(consultation)
    answers = services.answers_of(response)
    rows, missing = [], []
    for index in routing.visible_pages(all_pages, answers):
        for question in routing.visible_questions(all_pages[index], answers):
            value = answers.get(question.id)
            if question.required and value in (None, "", []):
                missing.append((index, question))
            rows.append(
                {
                    "question": question,
                    "answer": content.answer_text(question, value),
                    "page": index + 1,
                }
            )
    return rows, missing


@bp.route("/consultations/<slug>/check", methods=["GET", "POST"])
@limiter.limit(_public_post_limit, methods=["POST"])
def check_answers(slug: str) -> WerkzeugResponse | tuple[str, int]:
    """Check your answers, then send: a repeated send never makes a second response."""
    consultation = _consultation(slug)
    if not services.is_accepting(consultation):
        return redirect(url_for("surveys.start", slug=slug))
    response = _current_response(consultation)
    if response is None:
        return redirect(url_for("surveys.start", slug=slug))
    if response.status != "draft":
        return redirect(url_for("surveys.confirmation", slug=slug))
    form = SubmitAnswersForm()
    rows, missing = _check_rows(consultation, response)
    status = 200
    if form.validate_on_submit():
        if missing:
            index, question = missing[0]
            flash(_("Answer this question before you send your response."))
            return redirect(
                url_for("surveys.question_page", slug=slug, number=index + 1, change=1)
                + f"#{question.field_name}"
            )
        try:
            services.submit_response(response, language=_locale())
        except SQLAlchemyError:
            db.session.rollback()
            log.exception("could not submit response %s", response.id)
            form.form_errors.append(
                _(
                    "Sorry, we could not send your response. Your answers are saved. "
                    "Try again in a few minutes."
                )
            )
            status = 503
        else:
            _remember(SENT_KEY, consultation, response.reference)
            return redirect(url_for("surveys.confirmation", slug=slug))
    return render_template(
        "surveys/check.html",
        consultation=consultation,
        rows=rows,
        form=form,
        support=_support_contacts(response.support_keys),
        resume_code=response.resume_code,
    ), status


@bp.get("/consultations/<slug>/confirmation")
def confirmation(slug: str) -> WerkzeugResponse | str:
    """Response received: the reference number, and what happens next."""
    consultation = _consultation(slug)
    response = _current_response(consultation)
    reference = session.get(SENT_KEY, {}).get(slug)
    if response is not None and response.status == "submitted":
        reference = response.reference
    if not reference:
        return redirect(url_for("surveys.start", slug=slug))
    return render_template(
        "surveys/confirmation.html",
        consultation=consultation,
        reference=reference,
        support=_support_contacts(response.support_keys if response else None),
    )


@bp.route("/consultations/<slug>/saved", methods=["GET", "POST"])
@limiter.limit(_public_post_limit, methods=["POST"])
def saved(slug: str) -> WerkzeugResponse | str:
    """Your answers are saved: the code to come back, and the link by email if wanted."""
    consultation = _consultation(slug)
    response = _current_response(consultation)
    if response is None or response.status != "draft":
        return redirect(url_for("surveys.start", slug=slug))
    link = url_for("surveys.resume_link", slug=slug, code=response.resume_code, _external=True)
    form = EmailResumeForm()
    if form.validate_on_submit():
        sent = send_email(
            form.email.data,
            _("Your saved answers: %(title)s", title=consultation.title),
            "surveys/email/resume.txt",
            consultation=consultation,
            code=response.resume_code,
            link=link,
            expires_at=response.expires_at,
        )
        if sent:
            flash(_("We have sent the link. We have not kept your email address."))
        else:
            flash(_("Sorry, we could not send the email. Write down your code instead."))
        return redirect(url_for("surveys.saved", slug=slug))
    return render_template(
        "surveys/saved.html",
        consultation=consultation,
        response=response,
        link=link,
        form=form,
        continue_url=_resume_target(consultation, response),
    )


@bp.route("/consultations/<slug>/resume", methods=["GET", "POST"])
@limiter.limit(_public_post_limit, methods=["POST"])
def resume(slug: str) -> WerkzeugResponse | str:
    """Carry on with a saved response by typing its code."""
    consultation = _consultation(slug)
    if not services.is_accepting(consultation):
        return redirect(url_for("surveys.start", slug=slug))
    form = ResumeForm()
    if form.validate_on_submit():
        draft = services.draft_by_code(consultation, form.code.data)
        if draft is not None:
            _remember(DRAFTS_KEY, consultation, draft.resume_code)
            return redirect(_resume_target(consultation, draft))
        form.code.errors = [
            _("We could not find saved answers with that code. Check it, or start again.")
        ]
    return render_template("surveys/resume.html", consultation=consultation, form=form)


@bp.get("/consultations/<slug>/resume/<code>")
def resume_link(slug: str, code: str) -> WerkzeugResponse:
    """The link from the 'saved' page or email: pick up the draft and carry on."""
    consultation = _consultation(slug)
    draft = (
        services.draft_by_code(consultation, code) if services.is_accepting(consultation) else None
    )
    if draft is None:
        flash(_("That link has expired or the consultation has closed."))
        return redirect(url_for("surveys.start", slug=slug))
    _remember(DRAFTS_KEY, consultation, draft.resume_code)
    return redirect(_resume_target(consultation, draft))


@bp.route("/consultations/<slug>/delete", methods=["GET", "POST"])
@limiter.limit(_public_post_limit, methods=["POST"])
def delete_lookup(slug: str) -> str:
    """Find your response by its reference number, to delete it."""
    consultation = _consultation(slug)
    form = DeleteLookupForm()
    if services.is_accepting(consultation) and form.validate_on_submit():
        found = services.response_by_reference(consultation, form.reference.data)
        if found is not None:
            return render_template(
                "surveys/delete_confirm.html",
                consultation=consultation,
                form=DeleteConfirmForm(reference=found.reference),
                reference=found.reference,
            )
        form.reference.errors = [_("We could not find a response with that reference number.")]
    return render_template(
        "surveys/delete.html",
        consultation=consultation,
        form=form,
        accepting=services.is_accepting(consultation),
    )


@bp.post("/consultations/<slug>/delete/confirm")
@limiter.limit(_public_post_limit, methods=["POST"])
def delete_confirm(slug: str) -> WerkzeugResponse | str:
    """Delete the response for good."""
    consultation = _consultation(slug)
    form = DeleteConfirmForm()
    if form.validate_on_submit() and services.delete_response(consultation, form.reference.data):
        _remember(SENT_KEY, consultation, None)
        _remember(DRAFTS_KEY, consultation, None)
        return render_template("surveys/deleted.html", consultation=consultation)
    flash(_("We could not delete that response. Check the reference number."))
    return redirect(url_for("surveys.delete_lookup", slug=slug))


@bp.get("/consultations/<slug>/results")
def results(slug: str) -> str:
    """We asked, you said, we did: summary, counts (small numbers suppressed), actions."""
    consultation = _consultation(slug)
    published = consultation.status == "published"
    extra = []
    if published:
        for render_section in current_app.extensions.get("results_sections", []):
            try:
                html = render_section(consultation)
            except Exception:  # noqa: BLE001 - another package's section must not break the page
                log.exception("results section %r failed", render_section)
                continue
            if html:
                extra.append(html)
    return render_template(
        "surveys/results.html",
        consultation=consultation,
        published=published,
        results=services.closed_results(consultation, public=True) if published else [],
        total=suppress(services.response_count(consultation)) if published else None,
        extra_sections=extra,
        action_statuses=ACTION_STATUS_LABELS,
    )
