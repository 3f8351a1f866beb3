"""Consultation queries and changes: the only surveys code touching the session.

This is also the only surveys module other packages may import (the theme analysis reads
answers through `free_text_questions` and `free_text_answers`).
"""

from __future__ import annotations

import copy as copy_module
import hashlib
import json
import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from flask import current_app
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import joinedload, selectinload

from portal import audit
from portal.areas import services as areas
from portal.areas.models import DISTRICTS, District
from portal.clock import utcnow
from portal.extensions import db
from surveys import answer_languages, codes, content, importer, results, routing
from surveys.models import (
    Action,
    Answer,
    Consultation,
    Question,
    Response,
    Section,
)
from surveys.questions import (
    CLOSED_KINDS,
    PUBLIC_CLOSED_KINDS,
    answer_display,
    is_multi,
    options_for,
)
from surveys.signals import response_submitted
from surveys.text import clean_text

log = logging.getLogger(__name__)
# Duplicate detection only looks at responses with this much free text: short closed answers
# coincide all the time between genuine residents.
DUPLICATE_MIN_TEXT = 20


@dataclass(frozen=True)
class AnswerRecord:
    """One free-text answer with what the theme analysis needs to know about its response."""

    response_id: int
    response_reference: str
    external_id: str | None
    question_id: int
    text: str
    district_slug: str | None
    district_name: str | None
    language: str
    channel: str
    excluded: bool


# --- consultations -------------------------------------------------------------------------


def consultation_by_slug(slug: str) -> Consultation | None:
    """Find a consultation by its URL slug, with its pages and questions (one query)."""
    return (
        db.session.execute(
            select(Consultation)
            .where(Consultation.slug == slug)
            .options(
                joinedload(Consultation.districts),
                joinedload(Consultation.sections).joinedload(Section.questions),
            )
        )
        .unique()
        .scalar_one_or_none()
    )


def consultation_by_id(consultation_id: int) -> Consultation | None:
    """Find a consultation by id."""
    return db.session.get(Consultation, consultation_id)


def today() -> date:
    """Today's date (UTC), one place so tests and checks agree."""
    return utcnow().date()


def is_accepting(consultation: Consultation, on: date | None = None) -> bool:
    """True while a consultation is open and inside its dates."""
    on = on or today()
    if consultation.status != "open":
        return False
    if consultation.opens_on and on < consultation.opens_on:
        return False
    return not (consultation.closes_on and on > consultation.closes_on)


def open_consultations(district: District | None = None) -> list[Consultation]:
    """Consultations accepting responses, optionally those covering one district."""
    found = db.session.execute(
        select(Consultation).where(Consultation.status == "open").order_by(Consultation.closes_on)
    ).scalars()
    result = [c for c in found if is_accepting(c)]
    if district is not None:
        result = [
            c
            for c in result
            if c.countywide or not c.districts or district.id in {d.id for d in c.districts}
        ]
    return result


def published_consultations() -> list[Consultation]:
    """Consultations whose results are public, newest first."""
    return list(
        db.session.execute(
            select(Consultation)
            .where(Consultation.status == "published")
            .order_by(Consultation.closes_on.desc(), Consultation.id.desc())
        ).scalars()
    )


def all_consultations() -> list[Consultation]:
    """Every consultation, newest first (staff)."""
    return list(db.session.execute(select(Consultation).order_by(Consultation.id.desc())).scalars())


def pages(consultation: Consultation) -> list[list[Question]]:
    """The questionnaire as pages of questions (sections with no questions are left out)."""
    return [list(s.questions) for s in consultation.sections if s.questions]


def page_sections(consultation: Consultation) -> list[Section]:
    """The sections that form pages, aligned with `pages()`."""
    return [s for s in consultation.sections if s.questions]


def free_text_questions(consultation_id: int) -> list[Question]:
    """The free-text questions of a consultation, in questionnaire order."""
    consultation = db.session.get(Consultation, consultation_id)
    if consultation is None:
        return []
    return [q for q in consultation.questions if q.kind == "free_text"]


def free_text_answers(consultation_id: int, question_id: int | None = None) -> list[AnswerRecord]:
    """Non-empty free-text answers from submitted responses (excluded ones flagged, not hidden)."""
    query = (
        select(Answer, Response, District)
        .join(Response, Answer.response_id == Response.id)
        .join(Question, Answer.question_id == Question.id)
        .outerjoin(District, Response.district_id == District.id)
        .where(
            Response.consultation_id == consultation_id,
            Response.status == "submitted",
            Question.kind == "free_text",
            Answer.text.is_not(None),
            Answer.text != "",
        )
        .order_by(Response.id, Question.position)
    )
    if question_id is not None:
        query = query.where(Answer.question_id == question_id)
    return [
        AnswerRecord(
            response_id=response.id,
            response_reference=response.reference,
            external_id=response.external_id,
            question_id=answer.question_id,
            text=answer.text or "",
            district_slug=district.slug if district else None,
            district_name=district.name if district else None,
            language=response.language,
            channel=response.channel,
            excluded=response.excluded,
        )
        for answer, response, district in db.session.execute(query)
    ]


@dataclass(frozen=True)
class DetectedAnswer:
    """A free-text answer with the language it appears to be written in."""

    record: AnswerRecord
    language: str


def answers_with_languages(consultation: Consultation) -> list[DetectedAnswer]:
    """Free-text answers of sent, included responses, each with its detected language."""
    codes_known = list(current_app.config["LANGUAGES"])
    return [
        DetectedAnswer(record, answer_languages.detect(record.text, codes_known))
        for record in free_text_answers(consultation.id)
        if not record.excluded
    ]


def answer_language_counts(detected: Sequence[DetectedAnswer]) -> list[tuple[str, int]]:
    """How many answers are in each detected language, most first (ties by code)."""
    counts: dict[str, int] = {}
    for item in detected:
        counts[item.language] = counts.get(item.language, 0) + 1
    return sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))


def district_names() -> list[str]:
    """Names of the five districts, for district questions (reference data, cached per app)."""
    cached = current_app.extensions.get("surveys_district_names")
    if cached:
        return list(cached)
    names = [d.name for d in areas.districts()]
    if len(names) == len(DISTRICTS):
        current_app.extensions["surveys_district_names"] = names
    return names


def _commit_keeping_values() -> None:
    """Commit without expiring loaded objects: the page goes on to read what it just wrote,
    and reloading every question one by one costs a query each."""
    session = db.session()
    previous = session.expire_on_commit
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = previous


# --- drafts and answering ------------------------------------------------------------------


def draft_lifetime() -> timedelta:
    """How long an unfinished response is kept (SURVEYS_DRAFT_DAYS)."""
    return timedelta(days=int(current_app.config.get("SURVEYS_DRAFT_DAYS", 28)))


def _unique_codes() -> tuple[str, str]:
    for _attempt in range(10):
        reference, resume = codes.new_reference(), codes.new_resume_code()
        taken = db.session.execute(
            select(func.count(Response.id)).where(
                (Response.reference == reference) | (Response.resume_code == resume)
            )
        ).scalar_one()
        if not taken:
            return reference, resume
    raise RuntimeError("could not find an unused reference")  # pragma: no cover


def start_draft(consultation: Consultation, start_token: str, language: str) -> Response:
    """Start a draft response; the same start token always gives back the same draft."""
    token = (start_token or "")[:64] or None
    if token:
        existing = db.session.execute(
            select(Response).where(Response.start_token == token)
        ).scalar_one_or_none()
        if existing is not None and existing.consultation_id == consultation.id:
            return existing
    reference, resume = _unique_codes()
    draft = Response(
        consultation_id=consultation.id,
        reference=reference,
        resume_code=resume,
        start_token=token,
        language=language[:8],
        expires_at=utcnow() + draft_lifetime(),
    )
    db.session.add(draft)
    try:
        db.session.commit()
    except IntegrityError:
        # A second click raced the first: use the draft it created.
        db.session.rollback()
        existing = db.session.execute(
            select(Response).where(Response.start_token == token)
        ).scalar_one_or_none()
        if existing is None:
            raise
        return existing
    return draft


def draft_by_code(consultation: Consultation, code: str) -> Response | None:
    """A live (unexpired, unsent) draft of this consultation by its resume code."""
    response = db.session.execute(
        select(Response).where(
            Response.resume_code == codes.normalise_code(code),
            Response.consultation_id == consultation.id,
        )
    ).scalar_one_or_none()
    if response is None or response.status != "draft":
        return None
    if response.expires_at and response.expires_at < utcnow():
        return None
    return response


def response_by_code(consultation: Consultation, code: str) -> Response | None:
    """A response (draft or sent) of this consultation by its resume code, with its answers."""
    return (
        db.session.execute(
            select(Response)
            .where(
                Response.resume_code == codes.normalise_code(code),
                Response.consultation_id == consultation.id,
            )
            .options(joinedload(Response.answers))
        )
        .unique()
        .scalar_one_or_none()
    )


def answers_of(response: Response) -> dict[int, Any]:
    """The response's answers as question id → stored value."""
    return {a.question_id: a.value for a in response.answers}


def form_value(question: Question, value: Any) -> Any:
    """A stored answer as the form field expects it (postcodes come back as typed areas)."""
    if question.kind == "postcode" and isinstance(value, dict):
        return value.get("postcode_area", "")
    return value


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def _store_value(question: Question, raw: Any, response: Response, previous: Any) -> Any:
    """Turn a validated form value into the stored answer, setting the response's area."""
    if question.kind == "district":
        district = areas.district_by_name(raw) if isinstance(raw, str) else None
        response.district_id = district.id if district else None
        return raw
    if question.kind == "postcode":
        compact = re.sub(r"\s+", "", str(raw)).upper()
        full = areas.normalise_postcode(compact)
        if full is None:
            # Only the area was typed (or came back from an earlier page): keep what we knew.
            if isinstance(previous, dict) and previous.get("postcode_area") == compact:
                return previous
            return {"postcode_area": compact, "district": None, "ward": None}
        found = areas.resolve_postcode(full)
        if found is not None:
            response.district_id = found.district_id
            response.ward_id = found.ward_id
        # Only the outward code is kept: enough for the area, not enough to find a home.
        return {
            "postcode_area": full.split(" ")[0],
            "district": found.district.name if found else None,
            "ward": found.ward.name if found and found.ward else None,
        }
    if is_multi(question.kind):
        return [clean_text(v, 500) for v in raw or []]
    return clean_text(str(raw), max(question.max_length, 1) * 2)


def _apply_answers(response: Response, values: dict[Question, Any]) -> None:
    existing = {a.question_id: a for a in response.answers}
    for question, raw in values.items():
        answer = existing.get(question.id)
        if _is_blank(raw):
            if answer is not None:
                response.answers.remove(answer)
            if question.kind == "district":
                response.district_id = None
            continue
        value = _store_value(question, raw, response, answer.value if answer else None)
        # Typed text is copied to `text` for searching and erasure (never for choice answers).
        text = value if question.kind in {"free_text", "contact_email"} else None
        if answer is None:
            response.answers.append(Answer(question_id=question.id, value=value, text=text))
        else:
            answer.value, answer.text = value, text


def save_page(
    response: Response,
    values: dict[Question, Any],
    page_number: int,
    honeypot: bool = False,
    language: str | None = None,
) -> list[str]:
    """Save one page of answers (committed at once), then ask the screener about free text.

    Returns the help-contact keys to show on the next page.
    """
    _apply_answers(response, values)
    response.pages_done = max(response.pages_done or 0, page_number)
    response.expires_at = utcnow() + draft_lifetime()
    response.honeypot = response.honeypot or honeypot
    if language:
        response.language = language[:8]
    _commit_keeping_values()
    texts = [
        (q.id, str(v)) for q, v in values.items() if q.kind == "free_text" and not _is_blank(v)
    ]
    return screen_answers(response, texts)


def screen_answers(response: Response, texts: Iterable[tuple[int, str]]) -> list[str]:
    """Call the registered safeguarding screener; a failure is logged, never blocks the save."""
    screener = current_app.extensions.get("answer_screener")
    if screener is None:
        return list(response.support_keys or [])
    known = {c["key"] for c in current_app.config["HELP_CONTACTS"]}
    keys = set(response.support_keys or [])
    try:
        for question_id, text in texts:
            for key in screener(response.id, question_id, text) or []:
                if key in known:
                    keys.add(key)
        if keys != set(response.support_keys or []):
            response.support_keys = sorted(keys)
            _commit_keeping_values()
    except Exception:  # noqa: BLE001 - screening must never lose or block an answer
        log.exception("answer screener failed for response %s", response.id)
        db.session.rollback()
    return list(response.support_keys or [])


def _fingerprint(consultation: Consultation, answers: dict[int, Any]) -> str | None:
    kinds = {q.id: q.kind for q in consultation.questions}
    free = " ".join(str(v) for qid, v in answers.items() if kinds.get(qid) == "free_text")
    if len(free.strip()) < DUPLICATE_MIN_TEXT:
        return None
    canonical = {
        str(qid): re.sub(r"\s+", " ", json.dumps(v, ensure_ascii=False, sort_keys=True).lower())
        for qid, v in sorted(answers.items())
    }
    return hashlib.sha256(json.dumps(canonical, sort_keys=True).encode()).hexdigest()


def submit_response(response: Response, language: str | None = None) -> bool:
    """Send a draft: exactly once, however often it is asked (False when already sent)."""
    now = utcnow()
    changed = db.session.execute(
        update(Response)
        .where(Response.id == response.id, Response.status == "draft")
        .values(status="submitted", submitted_at=now, expires_at=None)
    ).rowcount
    if not changed:
        db.session.rollback()
        return False
    db.session.refresh(response)
    consultation = response.consultation
    answers = answers_of(response)
    shown = {q.id for q in routing.visible_questions(consultation.questions, answers)}
    for answer in list(response.answers):
        if answer.question_id not in shown:
            # Answered, then hidden by a later change of mind: not part of the response.
            response.answers.remove(answer)
    if language:
        response.language = language[:8]
    _finalise(response, consultation)
    db.session.commit()
    response_submitted.send(current_app._get_current_object(), response_id=response.id)  # type: ignore[attr-defined]
    return True


def _finalise(response: Response, consultation: Consultation) -> None:
    """Fingerprint, flag duplicates and honeypot hits (flagged for staff, never dropped)."""
    response.fingerprint = _fingerprint(consultation, answers_of(response))
    if response.fingerprint:
        earlier = db.session.execute(
            select(Response.id)
            .where(
                Response.consultation_id == consultation.id,
                Response.fingerprint == response.fingerprint,
                Response.status == "submitted",
                Response.id != response.id,
            )
            .order_by(Response.id)
            .limit(1)
        ).scalar_one_or_none()
        response.duplicate_of_id = earlier
    if response.honeypot:
        response.excluded = True
        response.excluded_reason = "Automatic: a hidden field was filled in (likely spam)"


def response_by_reference(consultation: Consultation, reference: str) -> Response | None:
    """A sent response of this consultation by its reference number."""
    return db.session.execute(
        select(Response).where(
            Response.consultation_id == consultation.id,
            Response.reference == codes.normalise_code(reference),
            Response.status == "submitted",
        )
    ).scalar_one_or_none()


def delete_response(consultation: Consultation, reference: str) -> bool:
    """Delete a sent response at the resident's request (only while the consultation is open)."""
    if not is_accepting(consultation):
        return False
    response = response_by_reference(consultation, reference)
    if response is None:
        return False
    audit.record(
        "consultation.response_deleted_by_resident",
        subject=f"consultation:{consultation.id}",
        detail={"response_id": response.id},
    )
    db.session.delete(response)
    db.session.commit()
    return True


def purge_expired_drafts(now: datetime | None = None) -> int:
    """Delete drafts past their expiry time."""
    now = now or utcnow()
    result = db.session.execute(
        delete(Response).where(Response.status == "draft", Response.expires_at < now)
    )
    db.session.commit()
    return int(result.rowcount or 0)


def questions_by_id(consultation: Consultation) -> dict[int, Question]:
    """The questions of a consultation keyed by id."""
    return {q.id: q for q in consultation.questions}


def _sections_loaded(consultation_id: int) -> Consultation | None:
    return db.session.execute(
        select(Consultation)
        .where(Consultation.id == consultation_id)
        .options(selectinload(Consultation.sections).selectinload(Section.questions))
    ).scalar_one_or_none()


def sequence_positions(items: Sequence[Section | Question | Action]) -> None:
    """Number items 0..n-1 in their current order."""
    for index, item in enumerate(items):
        item.position = index


# --- results -------------------------------------------------------------------------------


def closed_results(consultation: Consultation, public: bool) -> list[results.QuestionResult]:
    """Counts for closed questions from sent, not-excluded responses (equality ones staff-only)."""
    kinds = PUBLIC_CLOSED_KINDS if public else CLOSED_KINDS
    questions = [q for q in consultation.questions if q.kind in kinds]
    if not questions:
        return []
    rows = db.session.execute(
        select(Answer.question_id, Answer.value, District.name)
        .join(Response, Answer.response_id == Response.id)
        .outerjoin(District, Response.district_id == District.id)
        .where(
            Response.consultation_id == consultation.id,
            Response.status == "submitted",
            Response.excluded.is_(False),
            Answer.question_id.in_([q.id for q in questions]),
        )
    ).all()
    names = district_names()
    options = {
        q.id: (
            [*names, "I do not live in Warwickshire", "Prefer not to say"]
            if q.kind == "district"
            else options_for(q.kind, q.options)
        )
        for q in questions
    }
    return results.tabulate(questions, [tuple(r) for r in rows], options)


def response_count(consultation: Consultation) -> int:
    """Sent, not-excluded responses."""
    return db.session.execute(
        select(func.count(Response.id)).where(
            Response.consultation_id == consultation.id,
            Response.status == "submitted",
            Response.excluded.is_(False),
        )
    ).scalar_one()


# --- building consultations ----------------------------------------------------------------


def unique_slug(title: str) -> str:
    """A slug from the title that no other consultation uses."""
    base = codes.slugify(title)
    taken = set(
        db.session.execute(
            select(Consultation.slug).where(Consultation.slug.like(f"{base}%"))
        ).scalars()
    )
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def districts_by_ids(ids: Iterable[int]) -> list[District]:
    """Districts with the given ids."""
    wanted = {int(i) for i in ids}
    return [d for d in areas.districts() if d.id in wanted]


def create_consultation(
    title: str,
    summary: str = "",
    *,
    district_ids: Iterable[int] = (),
    created_by_id: int | None = None,
    commit: bool = True,
    **fields: Any,
) -> Consultation:
    """Create a consultation (a draft unless `status` is given)."""
    consultation = Consultation(
        slug=unique_slug(title), title=title, summary=summary, created_by_id=created_by_id
    )
    for name, value in fields.items():
        setattr(consultation, name, value)
    consultation.districts = districts_by_ids(district_ids)
    db.session.add(consultation)
    if commit:
        db.session.commit()
    else:
        db.session.flush()
    return consultation


def update_consultation(
    consultation: Consultation, district_ids: Iterable[int] | None = None, **fields: Any
) -> None:
    """Change a consultation's details."""
    for name, value in fields.items():
        setattr(consultation, name, value)
    if district_ids is not None:
        consultation.districts = districts_by_ids(district_ids)
    audit.record("consultation.updated", subject=f"consultation:{consultation.id}")
    db.session.commit()


def set_status(consultation: Consultation, status: str) -> None:
    """Move a consultation through draft → open → closed → published."""
    audit.record(
        "consultation.status",
        subject=f"consultation:{consultation.id}",
        detail={"from": consultation.status, "to": status},
    )
    consultation.status = status
    db.session.commit()


def add_section(
    consultation: Consultation,
    title: str,
    intro: str = "",
    content_note: str = "",
    commit: bool = True,
) -> Section:
    """Add a page at the end of the questionnaire."""
    section = Section(
        title=title, intro=intro, content_note=content_note, position=len(consultation.sections)
    )
    consultation.sections.append(section)
    if commit:
        db.session.commit()
    else:
        db.session.flush()
    return section


def add_question(
    section: Section,
    kind: str,
    text: str,
    *,
    commit: bool = True,
    **fields: Any,
) -> Question:
    """Add a question at the end of a page."""
    question = Question(
        consultation_id=section.consultation_id,
        kind=kind,
        text=text,
        position=len(section.questions),
        **fields,
    )
    section.questions.append(question)
    if commit:
        db.session.commit()
    else:
        db.session.flush()
    return question


def save_translations(consultation: Consultation, lang: str, values: dict[str, str]) -> None:
    """Replace the consultation's translation into `lang` with the texts typed (blank = none)."""
    grouped: dict[int, tuple[Any, dict[str, Any]]] = {}
    for field in content.translation_fields(consultation):
        owner, typed = grouped.setdefault(id(field.owner), (field.owner, {}))
        value = clean_text(values.get(field.name), field.max_length)
        if field.option is not None:
            typed.setdefault("options", {})[field.option] = value
        else:
            typed[field.field] = value
    for owner, typed in grouped.values():
        # A new dict, so the JSON column sees the change.
        owner.translations = content.with_translation(owner.translations, lang, typed)
    audit.record(
        "consultation.translation_saved",
        subject=f"consultation:{consultation.id}",
        detail={"language": lang},
    )
    db.session.commit()


# --- importing -----------------------------------------------------------------------------


def check_import(
    data: bytes,
    text_column: str,
    district_column: str | None = None,
    id_column: str | None = None,
    into: Consultation | None = None,
) -> importer.ImportResult:
    """Check an import file against the districts (and ids already in the consultation)."""
    known: set[str] = set()
    if into is not None:
        known = {
            e
            for e in db.session.execute(
                select(Response.external_id).where(
                    Response.consultation_id == into.id, Response.external_id.is_not(None)
                )
            ).scalars()
            if e
        }

    def find(name: str) -> str | None:
        district = areas.district_by_name(name)
        return district.name if district else None

    return importer.read_rows(data, text_column, district_column, id_column, find, known)


def create_import_consultation(
    title: str, question_text: str, created_by_id: int | None = None
) -> Consultation:
    """A closed consultation with one free-text question, to hold imported answers."""
    consultation = create_consultation(
        title,
        "Responses gathered on paper, by email or in another survey tool.",
        countywide=True,
        status="closed",
        created_by_id=created_by_id,
        commit=False,
    )
    section = add_section(consultation, "Your views", commit=False)
    add_question(
        section, "free_text", question_text or title, max_length=importer.MAX_TEXT, commit=False
    )
    return consultation


def import_rows(
    consultation: Consultation,
    rows: Sequence[importer.ImportRow],
    user_id: int | None = None,
    channel: str = "import",
) -> int:
    """Add the rows as sent responses to the first free-text question, all or nothing."""
    question = next((q for q in consultation.questions if q.kind == "free_text"), None)
    if question is None:
        raise ValueError("the consultation has no free-text question to import into")
    by_name = {d.name: d for d in areas.districts()}
    now = utcnow()
    try:
        for row in rows:
            reference, resume = _unique_codes()
            district = by_name.get(row.district or "")
            response = Response(
                consultation_id=consultation.id,
                reference=reference,
                resume_code=resume,
                status="submitted",
                channel=channel,
                entered_by_id=user_id,
                district_id=district.id if district else None,
                external_id=row.external_id,
                language="en",
                pages_done=len(pages(consultation)),
                started_at=now,
                submitted_at=now,
            )
            response.answers.append(Answer(question_id=question.id, value=row.text, text=row.text))
            db.session.add(response)
        audit.record(
            "consultation.imported",
            subject=f"consultation:{consultation.id}",
            detail={"rows": len(rows), "channel": channel},
            user_id=user_id,
        )
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return len(rows)


def update_item(item: Section | Question | Action, **fields: Any) -> None:
    """Change a page, question or action."""
    for name, value in fields.items():
        setattr(item, name, value)
    db.session.commit()


def delete_item(item: Section | Question | Action) -> None:
    """Delete a page (with its questions), a question or an action, and close the gap."""
    if isinstance(item, Section):
        siblings = item.consultation.sections
    elif isinstance(item, Question):
        siblings = item.section.questions
        _drop_conditions_on(item)
    else:
        siblings = item.consultation.actions
    siblings.remove(item)
    db.session.delete(item)
    sequence_positions(siblings)
    db.session.commit()


def _drop_conditions_on(question: Question) -> None:
    for other in question.section.consultation.questions:
        if other.condition and int(other.condition.get("question_id", 0)) == question.id:
            other.condition = None


def move_item(item: Section | Question, direction: str) -> None:
    """Move a page or question one place up or down."""
    if isinstance(item, Section):
        parent, attribute = item.consultation, "sections"
    else:
        parent, attribute = item.section, "questions"
    siblings = list(getattr(parent, attribute))
    index = siblings.index(item)
    target = index - 1 if direction == "up" else index + 1
    if 0 <= target < len(siblings):
        # Swap positions rather than list entries: reassigning list slots would orphan rows.
        sequence_positions(siblings)
        siblings[index].position, siblings[target].position = target, index
        db.session.commit()
        db.session.expire(parent, [attribute])


def section_by_id(consultation: Consultation, section_id: int) -> Section | None:
    """A page of this consultation."""
    return next((s for s in consultation.sections if s.id == section_id), None)


def question_by_id(consultation: Consultation, question_id: int) -> Question | None:
    """A question of this consultation."""
    return next((q for q in consultation.questions if q.id == question_id), None)


def action_by_id(consultation: Consultation, action_id: int) -> Action | None:
    """An action of this consultation."""
    return next((a for a in consultation.actions if a.id == action_id), None)


def earlier_questions(consultation: Consultation, section: Section) -> list[Question]:
    """Closed questions on pages before this one: what a condition may depend on."""
    result = []
    for other in consultation.sections:
        if other.position >= section.position:
            break
        result.extend(q for q in other.questions if q.kind in CLOSED_KINDS)
    return result


def duplicate_consultation(
    source: Consultation, title: str, district_ids: Iterable[int], user_id: int | None
) -> Consultation:
    """Copy the questionnaire (pages, questions, conditions) for other districts, as a draft."""
    copy = create_consultation(
        title,
        source.summary,
        district_ids=district_ids,
        created_by_id=user_id,
        commit=False,
        background=source.background,
        audience_note=source.audience_note,
        countywide=False,
        opens_on=source.opens_on,
        closes_on=source.closes_on,
        privacy_notice=source.privacy_notice,
        copied_from_id=source.id,
        status="draft",
        easy_read=source.easy_read,
        easy_read_summary=source.easy_read_summary,
        translations=copy_module.deepcopy(source.translations),
    )
    id_map: dict[int, Question] = {}
    pending: list[tuple[Question, dict[str, Any]]] = []
    for section in source.sections:
        new_section = add_section(
            copy, section.title, section.intro, section.content_note, commit=False
        )
        new_section.translations = copy_module.deepcopy(section.translations)
        for question in section.questions:
            new_question = add_question(
                new_section,
                question.kind,
                question.text,
                commit=False,
                hint=question.hint,
                required=question.required,
                options=list(question.options or []) or None,
                max_length=question.max_length,
                translations=copy_module.deepcopy(question.translations),
            )
            id_map[question.id] = new_question
            if question.condition:
                pending.append((new_question, dict(question.condition)))
    for new_question, condition in pending:
        target = id_map.get(int(condition.get("question_id", 0)))
        new_question.condition = {**condition, "question_id": target.id} if target else None
    audit.record(
        "consultation.duplicated",
        subject=f"consultation:{source.id}",
        detail={"copy_id": copy.id},
        user_id=user_id,
    )
    db.session.commit()
    return copy


# --- staff: responses ----------------------------------------------------------------------


def responses_for(
    consultation: Consultation,
    district_id: int | None = None,
    channel: str | None = None,
    show: str = "all",
    limit: int = 200,
    offset: int = 0,
) -> tuple[list[Response], int]:
    """Sent responses for staff, newest first, with filters; returns the page and the total."""
    query = select(Response).where(
        Response.consultation_id == consultation.id, Response.status == "submitted"
    )
    if district_id:
        query = query.where(Response.district_id == district_id)
    if channel:
        query = query.where(Response.channel == channel)
    if show == "excluded":
        query = query.where(Response.excluded.is_(True))
    elif show == "duplicates":
        query = query.where(Response.duplicate_of_id.is_not(None))
    elif show == "included":
        query = query.where(Response.excluded.is_(False))
    total = db.session.execute(select(func.count()).select_from(query.subquery())).scalar_one()
    found = db.session.execute(
        query.order_by(Response.submitted_at.desc(), Response.id.desc()).limit(limit).offset(offset)
    ).scalars()
    return list(found), total


def view_response(consultation: Consultation, response_id: int) -> Response | None:
    """A sent response for a staff member to read; every view is written to the audit log."""
    response = db.session.get(Response, response_id)
    if response is None or response.consultation_id != consultation.id:
        return None
    audit.record(
        "consultation.response_viewed",
        subject=f"response:{response.id}",
        detail={"consultation_id": consultation.id, "reference": response.reference},
    )
    db.session.commit()
    return response


def set_excluded(response: Response, excluded: bool, reason: str = "") -> None:
    """Exclude a response from results (spam, test, duplicate) or bring it back."""
    response.excluded = excluded
    response.excluded_reason = reason if excluded else ""
    audit.record(
        "consultation.response_excluded" if excluded else "consultation.response_included",
        subject=f"response:{response.id}",
        note=reason,
    )
    db.session.commit()


def record_assisted(
    consultation: Consultation,
    values: dict[Question, Any],
    channel: str,
    user_id: int,
) -> Response:
    """Record a response taken on paper, by phone or by email, with who entered it."""
    reference, resume = _unique_codes()
    now = utcnow()
    response = Response(
        consultation_id=consultation.id,
        reference=reference,
        resume_code=resume,
        status="draft",
        channel=channel,
        entered_by_id=user_id,
        language="en",
        pages_done=len(pages(consultation)),
        started_at=now,
    )
    db.session.add(response)
    _apply_answers(response, values)
    db.session.flush()
    response.status, response.submitted_at = "submitted", now
    _finalise(response, consultation)
    audit.record(
        "consultation.assisted_entry",
        subject=f"response:{response.id}",
        detail={"channel": channel},
        user_id=user_id,
    )
    db.session.commit()
    response_submitted.send(current_app._get_current_object(), response_id=response.id)  # type: ignore[attr-defined]
    return response


def export_rows(consultation: Consultation) -> tuple[list[str], list[list[Any]]]:
    """All sent responses: one row each, one column per question, plus area and channel."""
    questions = consultation.questions
    headers = [
        "response_id", "reference", "external_id", "district", "ward", "channel", "language",
        "started_at", "submitted_at", "excluded", "excluded_reason", "duplicate_of",
        "entered_by",
    ] + [f"Q{i + 1}. {q.text}" for i, q in enumerate(questions)]  # fmt: skip
    found = db.session.execute(
        select(Response)
        .where(Response.consultation_id == consultation.id, Response.status == "submitted")
        .order_by(Response.id)
        .options(
            selectinload(Response.answers),
            selectinload(Response.district),
            selectinload(Response.ward),
            selectinload(Response.entered_by),
        )
    ).scalars()
    rows = []
    for response in found:
        answers = answers_of(response)
        rows.append(
            [
                response.id,
                response.reference,
                response.external_id or "",
                response.district.name if response.district else "",
                response.ward.name if response.ward else "",
                response.channel,
                response.language,
                response.started_at,
                response.submitted_at,
                "yes" if response.excluded else "no",
                response.excluded_reason,
                response.duplicate_of_id or "",
                response.entered_by.email if response.entered_by else "",
            ]
            + [answer_display(answers.get(q.id)) for q in questions]
        )
    return headers, rows


# --- staff: dashboard ----------------------------------------------------------------------


def daily_counts(consultation: Consultation) -> tuple[list[str], list[date], dict]:
    """Sent responses per district per day: (district names, days, {(district, day): n})."""
    found = db.session.execute(
        select(District.name, Response.submitted_at)
        .select_from(Response)
        .outerjoin(District, Response.district_id == District.id)
        .where(
            Response.consultation_id == consultation.id,
            Response.status == "submitted",
            Response.excluded.is_(False),
        )
    ).all()
    counts: dict[tuple[str, date], int] = {}
    for name, submitted_at in found:
        key = (name or results.NO_AREA, submitted_at.date())
        counts[key] = counts.get(key, 0) + 1
    names = sorted({k[0] for k in counts})
    days = sorted({k[1] for k in counts})
    return names, days, counts


def page_progress(consultation: Consultation) -> tuple[int, int, list[dict[str, Any]]]:
    """Started and sent online responses, and how many got past each page (drop-off)."""
    found = db.session.execute(
        select(Response.pages_done, Response.status).where(
            Response.consultation_id == consultation.id, Response.channel == "online"
        )
    ).all()
    started = len(found)
    sent = sum(1 for _, status in found if status == "submitted")
    rows = []
    reached_previous = started
    for index, section in enumerate(page_sections(consultation)):
        completed = sum(1 for done, status in found if (done or 0) > index or status == "submitted")
        rows.append(
            {
                "number": index + 1,
                "title": section.title,
                "completed": completed,
                "dropped": max(reached_previous - completed, 0),
            }
        )
        reached_previous = completed
    return started, sent, rows


# --- staff: results and actions ------------------------------------------------------------


def save_action(
    consultation: Consultation,
    action: Action | None,
    title: str,
    description: str,
    status: str,
    district_ids: Iterable[int],
) -> Action:
    """Create or change an action the partnership has committed to."""
    if action is None:
        action = Action(consultation=consultation, position=len(consultation.actions))
        db.session.add(action)
    action.title, action.description, action.status = title, description, status
    action.districts = districts_by_ids(district_ids)
    audit.record("consultation.action_saved", subject=f"consultation:{consultation.id}")
    db.session.commit()
    return action


def add_sent_response(
    consultation: Consultation,
    values: dict[Question, Any],
    *,
    submitted_at: datetime,
    channel: str = "online",
    language: str = "en",
    commit: bool = True,
) -> Response:
    """Store a complete sent response in one go (demo data and bulk loading)."""
    reference, resume = _unique_codes()
    response = Response(
        consultation_id=consultation.id,
        reference=reference,
        resume_code=resume,
        status="submitted",
        channel=channel,
        language=language,
        pages_done=len(pages(consultation)),
        started_at=submitted_at - timedelta(minutes=7),
        submitted_at=submitted_at,
    )
    db.session.add(response)
    _apply_answers(response, values)
    if commit:
        db.session.commit()
    return response


def add_draft_response(consultation: Consultation, pages_done: int, started_at: datetime) -> None:
    """Store an unfinished online response (demo data for the drop-off figures)."""
    reference, resume = _unique_codes()
    db.session.add(
        Response(
            consultation_id=consultation.id,
            reference=reference,
            resume_code=resume,
            pages_done=pages_done,
            started_at=started_at,
            expires_at=started_at + draft_lifetime(),
        )
    )


def commit() -> None:
    """Commit work done with commit=False."""
    db.session.commit()


def response_context(response_id: int) -> dict[str, Any]:
    """What a safeguarding lead needs about a response: its consultation, area, and the
    contact email only if the resident chose to give one."""
    response = db.session.get(Response, response_id)
    if response is None:
        return {}
    contact = db.session.execute(
        select(Answer.text)
        .join(Question, Answer.question_id == Question.id)
        .where(Answer.response_id == response_id, Question.kind == "contact_email")
    ).scalar_one_or_none()
    return {
        "consultation_id": response.consultation_id,
        "district_name": response.district.name if response.district else None,
        "contact": contact or None,
        "reference": response.reference,
    }


def erase_contact_details(before: datetime) -> int:
    """Delete contact-email answers of responses started or sent before a cut-off (retention)."""
    stale = (
        select(Answer.id)
        .join(Question, Answer.question_id == Question.id)
        .join(Response, Answer.response_id == Response.id)
        .where(
            Question.kind == "contact_email",
            func.coalesce(Response.submitted_at, Response.started_at) < before,
        )
    )
    result = db.session.execute(delete(Answer).where(Answer.id.in_(stale)))
    db.session.commit()
    return int(result.rowcount or 0)


def erasure_summary(reference: str) -> dict[str, Any] | None:
    """What an admin sees before erasing a response, found by its reference in any consultation."""
    response = db.session.execute(
        select(Response).where(Response.reference == codes.normalise_code(reference))
    ).scalar_one_or_none()
    if response is None:
        return None
    kinds = {q.id: q.kind for q in response.consultation.questions}
    return {
        "response_id": response.id,
        "reference": response.reference,
        "consultation": response.consultation.title,
        "status": response.status,
        "submitted_at": response.submitted_at,
        "answers": len(response.answers),
        "has_contact": any(kinds.get(a.question_id) == "contact_email" for a in response.answers),
    }


def erase_response(reference: str) -> bool:
    """Delete a response and its answers at any time (an erasure request); commits."""
    response = db.session.execute(
        select(Response).where(Response.reference == codes.normalise_code(reference))
    ).scalar_one_or_none()
    if response is None:
        return False
    db.session.delete(response)
    db.session.commit()
    return True
