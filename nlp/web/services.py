"""Theme analysis in the portal: runs as jobs, stored results, curation and publication.

The only nlp.web code that touches the session. Answers are read through surveys.services.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from flask_login import current_user
from sqlalchemy import delete, func, select, update

from nlp.codeframe import Codeframe
from nlp.results import AnalysisResult
from nlp.web.models import EmbeddingCacheEntry, Theme, ThemeAssignment, ThemeDecision, ThemeRun
from portal import audit, jobs
from portal.clock import utcnow
from portal.extensions import db
from surveys import services as surveys

log = logging.getLogger(__name__)
JOB_KIND = "themes.run"
SMALL_NUMBER = 5


class DbEmbeddingCache:
    """The engine's embedding and redaction caches, stored in the portal database.

    Redacted texts share the table with vectors under the key `redaction:<version>`, so a
    re-run neither re-embeds nor re-redacts answers it has seen (redaction costs the most).
    """

    def get_redactions(self, version: str, hashes: Sequence[str]) -> dict[str, str]:
        """Cached redacted texts for the hashes that are present."""
        found = self._get_blobs(f"redaction:{version}", hashes)
        return {h: blob.decode("utf-8") for h, blob in found.items()}

    def put_redactions(self, version: str, items: dict[str, str]) -> None:
        """Store redacted texts by hash of the original."""
        self._put_blobs(f"redaction:{version}", {h: t.encode("utf-8") for h, t in items.items()})

    def _get_blobs(self, key: str, hashes: Sequence[str]) -> dict[str, bytes]:
        found: dict[str, bytes] = {}
        unique = list(dict.fromkeys(hashes))
        for start in range(0, len(unique), 500):
            rows = db.session.execute(
                select(EmbeddingCacheEntry.text_hash, EmbeddingCacheEntry.vector).where(
                    EmbeddingCacheEntry.model == key,
                    EmbeddingCacheEntry.text_hash.in_(unique[start : start + 500]),
                )
            )
            found.update({h: bytes(blob) for h, blob in rows})
        return found

    def _put_blobs(self, key: str, items: dict[str, bytes]) -> None:
        existing = set(self._get_blobs(key, list(items)))
        for text_hash, blob in items.items():
            if text_hash not in existing:
                db.session.add(EmbeddingCacheEntry(model=key, text_hash=text_hash, vector=blob))
        db.session.commit()

    def get_many(self, model_name: str, hashes: Sequence[str]) -> dict[str, np.ndarray]:
        """Cached vectors for the hashes that are present."""
        found = self._get_blobs(model_name, hashes)
        return {h: np.frombuffer(blob, dtype=np.float32) for h, blob in found.items()}

    def put_many(self, model_name: str, items: dict[str, np.ndarray]) -> None:
        """Store new vectors (committed at once: they are a cache, not results)."""
        self._put_blobs(
            model_name, {h: np.asarray(v, dtype=np.float32).tobytes() for h, v in items.items()}
        )


# --- runs ------------------------------------------------------------------------------------


def parse_codeframe(text: str) -> list[dict[str, Any]]:
    """Read a codeframe typed one theme per line: `name: description | example, example`."""
    themes = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        head, _, examples = line.partition("|")
        name, _, description = head.partition(":")
        if name.strip():
            themes.append(
                {
                    "name": name.strip()[:200],
                    "description": description.strip()[:500],
                    "examples": [e.strip()[:100] for e in examples.split(",") if e.strip()][:20],
                }
            )
    return themes[:60]


def carried_forward_codeframe(consultation_id: int, question_id: int) -> list[dict[str, Any]]:
    """The reviewed (or, failing that, all) curated themes of the latest finished run."""
    previous = latest_run(consultation_id, question_id, finished_only=True)
    if previous is None:
        return []
    themes = [
        t for t in live_themes(previous) if not (t.is_other or t.is_near_empty or t.is_campaign)
    ]
    reviewed = [t for t in themes if t.reviewed] or themes
    return [
        {"name": t.label, "description": t.description, "examples": list(t.keywords[:8])}
        for t in reviewed
    ]


def start_run(
    consultation_id: int,
    question_id: int,
    *,
    seed: int = 42,
    codeframe: list[dict[str, Any]] | None = None,
    user_id: int | None = None,
) -> ThemeRun:
    """Record a run and queue the job that performs it."""
    run = ThemeRun(
        consultation_id=consultation_id,
        question_id=question_id,
        seed=seed,
        codeframe=codeframe or [],
        created_by_id=user_id,
    )
    db.session.add(run)
    audit.record(
        "themes.run_started",
        f"consultation:{consultation_id}",
        {"question_id": question_id, "seed": seed, "codeframe": len(codeframe or [])},
        user_id=user_id,
    )
    db.session.commit()
    job = jobs.enqueue(JOB_KIND, {"run_id": run.id}, user_id=user_id)
    run = db.session.get(ThemeRun, run.id)
    if run.job_id is None:
        run.job_id = job.id
        db.session.commit()
    return run


@jobs.register_job(JOB_KIND)
def run_theme_job(context: jobs.JobContext) -> dict[str, Any]:
    """The job: read answers, run the engine, store everything in one transaction."""
    from nlp.engine import TooFewAnswers, analyse

    run = db.session.get(ThemeRun, context.params["run_id"])
    if run is None:
        raise LookupError(f"theme run {context.params['run_id']} no longer exists")
    run.status, run.job_id = "running", context.job_id
    db.session.commit()
    answers = analysable_answers(run.consultation_id, run.question_id)
    try:
        result = analyse(
            [engine_answer(a) for a in answers],
            codeframe=Codeframe.of(run.codeframe or []) if run.codeframe else None,
            seed=run.seed,
            progress=context.progress,
            cache=DbEmbeddingCache(),
        )
    except TooFewAnswers as exc:
        db.session.rollback()
        run = db.session.get(ThemeRun, context.params["run_id"])
        run.status, run.finished_at = "too_few", utcnow()
        run.answer_count = len(answers)
        run.message = str(exc)
        db.session.commit()
        return {"status": "too_few", "message": str(exc)}
    except Exception:
        db.session.rollback()
        failed = db.session.get(ThemeRun, context.params["run_id"])
        if failed is not None:
            failed.status, failed.finished_at = "failed", utcnow()
            db.session.commit()
        raise
    context.progress("saving", 0, 1)
    store_result(context.params["run_id"], result, answer_count=len(answers))
    return {"status": "finished", "themes": len(result.themes)}


def analysable_answers(consultation_id: int, question_id: int) -> list[surveys.AnswerRecord]:
    """Submitted, non-excluded answers to the question."""
    return [a for a in surveys.free_text_answers(consultation_id, question_id) if not a.excluded]


def redacted_answers(consultation_id: int, question_id: int) -> list[tuple[str, str | None]]:
    """(redacted text, district) of each answer, for listing when there are too few for themes."""
    from nlp.redaction import redact_many

    answers = analysable_answers(consultation_id, question_id)
    redacted = redact_many([a.text for a in answers])
    return [(r.text, a.district_name) for r, a in zip(redacted, answers, strict=True)]


def engine_answer(record: surveys.AnswerRecord):  # type: ignore[no-untyped-def]
    """Turn a survey answer into the engine's input (answers are identified by response)."""
    from nlp.results import Answer

    return Answer(id=record.response_id, text=record.text, area=record.district_name)


def store_result(run_id: int, result: AnalysisResult, answer_count: int) -> None:
    """Write a finished result; nothing is visible until this single commit."""
    run = db.session.get(ThemeRun, run_id)
    by_engine_id: dict[int, Theme] = {}
    for position, found in enumerate(result.themes):
        theme = Theme(
            run=run,
            engine_id=found.id,
            position=position,
            label=found.label[:200],
            model_label=found.label[:200],
            description=found.description,
            keywords=list(found.keywords),
            key_phrases=list(found.key_phrases),
            is_other=found.is_other,
            is_near_empty=found.is_near_empty,
            is_campaign=found.is_campaign,
            codeframe_name=found.codeframe_name,
            quotes=[_quote_dict(q) for q in found.quotes],
            quotes_by_area={
                a: [_quote_dict(q) for q in qs] for a, qs in found.quotes_by_area.items()
            },
            representation=[_json_safe(vars(r)) for r in found.representation],
        )
        db.session.add(theme)
        by_engine_id[found.id] = theme
    db.session.flush()
    db.session.bulk_insert_mappings(
        ThemeAssignment,  # type: ignore[arg-type]
        [
            {
                "run_id": run.id,
                "theme_id": by_engine_id[a.theme_id].id,
                "response_id": int(a.answer_id),
                "area": a.area,
                "text_redacted": a.text_redacted,
                "probability": float(a.probability),
                "is_outlier": a.is_outlier,
                "near_empty": a.near_empty,
                "campaign_id": a.campaign_id,
                "language": a.language[:8],
                "source": "model",
            }
            for a in result.assignments
        ],
    )
    run.run_info = _json_safe(_asdict(result.run))
    run.set_aside = [_json_safe(vars(s)) for s in result.set_aside]
    run.areas = list(result.areas)
    run.answer_count = answer_count
    run.status, run.finished_at = "finished", utcnow()
    db.session.commit()


def _asdict(obj: Any) -> dict[str, Any]:
    from dataclasses import asdict

    return asdict(obj)


def _quote_dict(quote: Any) -> dict[str, Any]:
    return {"response_id": int(quote.answer_id), "text": quote.text, "area": quote.area}


def _json_safe(value: Any) -> Any:
    """Replace infinities and NaN (JSON has neither) with None, recursively."""
    if isinstance(value, float):
        return None if value != value or value in (float("inf"), float("-inf")) else value
    if isinstance(value, dict):
        return {k: _json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_safe(v) for v in value]
    return value


def latest_run(
    consultation_id: int, question_id: int, finished_only: bool = False
) -> ThemeRun | None:
    """The newest run for a question."""
    query = select(ThemeRun).where(
        ThemeRun.consultation_id == consultation_id, ThemeRun.question_id == question_id
    )
    if finished_only:
        query = query.where(ThemeRun.status == "finished")
    return db.session.execute(query.order_by(ThemeRun.id.desc()).limit(1)).scalar_one_or_none()


def runs_for(consultation_id: int) -> list[ThemeRun]:
    """Every run of a consultation, newest first."""
    return list(
        db.session.execute(
            select(ThemeRun)
            .where(ThemeRun.consultation_id == consultation_id)
            .order_by(ThemeRun.id.desc())
        ).scalars()
    )


def run_by_id(run_id: int) -> ThemeRun | None:
    """A run by id."""
    return db.session.get(ThemeRun, run_id)


def live_themes(run: ThemeRun) -> list[Theme]:
    """The run's themes that have not been merged away, in order."""
    return [t for t in run.themes if t.merged_into_id is None]


def theme_by_id(run: ThemeRun, theme_id: int) -> Theme | None:
    """A theme of this run."""
    theme = db.session.get(Theme, theme_id)
    return theme if theme is not None and theme.run_id == run.id else None


# --- tables for the workbench ----------------------------------------------------------------


@dataclass
class ThemeRow:
    """One theme with its counts per area, for the theme list and heatmap."""

    theme: Theme
    size: int
    counts: dict[str, int]
    shares: dict[str, float]  # of each area's answers in the run
    flags: dict[str, dict[str, Any]]  # area -> representation (direction, test, p_value)


def theme_rows(run: ThemeRun) -> list[ThemeRow]:
    """Size and share per area of every live theme (excluded answers left out)."""
    counts: dict[int, Counter[str]] = {}
    for theme_id, area, n in db.session.execute(
        select(ThemeAssignment.theme_id, ThemeAssignment.area, func.count())
        .where(ThemeAssignment.run_id == run.id, ThemeAssignment.excluded.is_(False))
        .group_by(ThemeAssignment.theme_id, ThemeAssignment.area)
    ):
        counts.setdefault(theme_id, Counter())[area or "Unknown"] += n
    area_totals: Counter[str] = Counter()
    for per_area in counts.values():
        area_totals.update(per_area)
    rows = []
    for theme in live_themes(run):
        per_area = counts.get(theme.id, Counter())
        rows.append(
            ThemeRow(
                theme=theme,
                size=sum(per_area.values()),
                counts=dict(per_area),
                shares={
                    area: per_area.get(area, 0) / total
                    for area, total in area_totals.items()
                    if total
                },
                flags={
                    r["area"]: r
                    for r in theme.representation
                    if r.get("direction") != "as expected"
                },
            )
        )
    return rows


def theme_answers(
    theme: Theme, page: int = 1, per_page: int = 25
) -> tuple[list[ThemeAssignment], int]:
    """One page of a theme's answers (redacted text) and the total."""
    base = select(ThemeAssignment).where(ThemeAssignment.theme_id == theme.id)
    total = db.session.execute(select(func.count()).select_from(base.subquery())).scalar_one()
    rows = db.session.execute(
        base.order_by(
            ThemeAssignment.excluded, ThemeAssignment.probability.desc(), ThemeAssignment.id
        )
        .offset((max(page, 1) - 1) * per_page)
        .limit(per_page)
    ).scalars()
    return list(rows), total


def original_text(run: ThemeRun, assignment: ThemeAssignment) -> str:
    """The unredacted answer, for staff who ask for it (the request is audited)."""
    audit.record(
        "themes.original_viewed",
        f"response:{assignment.response_id}",
        {"run_id": run.id, "question_id": run.question_id},
    )
    db.session.commit()
    for record in surveys.free_text_answers(run.consultation_id, run.question_id):
        if record.response_id == assignment.response_id:
            return record.text
    return ""


# --- curation ------------------------------------------------------------------------------


def _decide(run: ThemeRun, action: str, theme: Theme | None, **detail: Any) -> None:
    user_id = current_user.id if getattr(current_user, "is_authenticated", False) else None
    db.session.add(
        ThemeDecision(
            run_id=run.id,
            theme_id=theme.id if theme else None,
            user_id=user_id,
            action=action,
            detail=detail,
        )
    )
    audit.record(
        f"themes.{action}",
        f"theme_run:{run.id}",
        {"theme_id": theme.id if theme else None, **detail},
    )


def rename_theme(run: ThemeRun, theme: Theme, label: str, description: str) -> None:
    """Give a theme a person's label and description."""
    _decide(run, "rename", theme, before=theme.label, after=label)
    theme.label, theme.description = label, description
    db.session.commit()


def merge_themes(run: ThemeRun, keep: Theme, absorb: Theme) -> None:
    """Move every answer of `absorb` into `keep` and retire `absorb`."""
    if keep.id == absorb.id:
        raise ValueError("A theme cannot be merged into itself")
    db.session.execute(
        update(ThemeAssignment)
        .where(ThemeAssignment.theme_id == absorb.id)
        .values(theme_id=keep.id, source="person")
    )
    absorb.merged_into_id = keep.id
    absorb.published = False
    keep.quotes = (keep.quotes or []) + (absorb.quotes or [])
    keep.keywords = list(dict.fromkeys((keep.keywords or []) + (absorb.keywords or [])))[:20]
    _decide(run, "merge", keep, absorbed=absorb.id, absorbed_label=absorb.label)
    db.session.commit()


def split_theme(run: ThemeRun, theme: Theme, parts: int = 2) -> list[Theme]:
    """Re-cluster a theme's answers into `parts` new themes (k-means on cached embeddings)."""
    from nlp.split import split_texts

    members = list(
        db.session.execute(
            select(ThemeAssignment).where(
                ThemeAssignment.theme_id == theme.id, ThemeAssignment.excluded.is_(False)
            )
        ).scalars()
    )
    if len(members) < parts * 2:
        raise ValueError(f"A theme needs at least {parts * 2} answers to split into {parts}")
    split = split_texts(
        [m.text_redacted for m in members], parts=parts, seed=run.seed, cache=DbEmbeddingCache()
    )
    position = max(t.position for t in run.themes) + 1
    created = []
    for index, (label, keywords) in enumerate(split.labels):
        new = Theme(
            run=run,
            engine_id=-1,
            position=position + index,
            label=label[:200],
            model_label=label[:200],
            keywords=list(keywords),
        )
        db.session.add(new)
        created.append(new)
    db.session.flush()
    for member, part in zip(members, split.assignments, strict=True):
        member.theme_id = created[part].id
        member.source = "person"
    for new in created:
        new.quotes = [
            {"response_id": m.response_id, "text": m.text_redacted, "area": m.area}
            for m in members
            if m.theme_id == new.id
        ][:5]
    theme.merged_into_id = created[0].id
    theme.published = False
    _decide(run, "split", theme, into=[t.id for t in created])
    db.session.commit()
    return created


def move_answer(run: ThemeRun, assignment: ThemeAssignment, target: Theme) -> None:
    """Put one answer in another theme (a person's decision)."""
    _decide(run, "move", target, response_id=assignment.response_id, from_theme=assignment.theme_id)
    assignment.theme_id, assignment.source = target.id, "person"
    db.session.commit()


def set_answer_excluded(run: ThemeRun, assignment: ThemeAssignment, excluded: bool) -> None:
    """Leave an answer out of counts and quotes (or put it back)."""
    _decide(run, "exclude" if excluded else "include", None, response_id=assignment.response_id)
    assignment.excluded = excluded
    assignment.source = "person"
    db.session.commit()


def toggle_pin(run: ThemeRun, theme: Theme, response_id: int) -> None:
    """Pin a quote to a theme (pinned quotes are the ones published), or unpin it."""
    pinned = list(theme.pinned_response_ids or [])
    if response_id in pinned:
        pinned.remove(response_id)
        _decide(run, "unpin", theme, response_id=response_id)
    else:
        pinned.append(response_id)
        _decide(run, "pin", theme, response_id=response_id)
    theme.pinned_response_ids = pinned
    db.session.commit()


def save_notes(run: ThemeRun, theme: Theme, notes: str, reviewed: bool) -> None:
    """Notes and the reviewed mark."""
    _decide(run, "review" if reviewed and not theme.reviewed else "notes", theme, reviewed=reviewed)
    theme.notes, theme.reviewed = notes, reviewed
    db.session.commit()


def set_published(run: ThemeRun, theme_ids: set[int]) -> None:
    """Publish exactly these themes of the run (others are withdrawn)."""
    for theme in live_themes(run):
        should = theme.id in theme_ids and not theme.is_near_empty
        if should != theme.published:
            theme.published = should
            _decide(run, "publish" if should else "unpublish", theme)
    db.session.commit()


def decisions(run: ThemeRun) -> list[ThemeDecision]:
    """The run's curation history, newest first."""
    return list(
        db.session.execute(
            select(ThemeDecision)
            .where(ThemeDecision.run_id == run.id)
            .order_by(ThemeDecision.id.desc())
        ).scalars()
    )


# --- published findings and export ---------------------------------------------------------


def published_findings(
    consultation_id: int, blocked_response_ids: set[int] | None = None
) -> list[dict[str, Any]]:
    """Published themes of the latest finished run of each question, for the public pages.

    Sizes under 5 are shown as "<5"; quotes are redacted and never come from answers that
    raised a safeguarding concern or were excluded.
    """
    from nlp.web.safeguarding_services import blocked_response_ids as flagged

    blocked = set(blocked_response_ids or set()) | flagged(consultation_id)
    findings = []
    for question in surveys.free_text_questions(consultation_id):
        run = latest_run(consultation_id, question.id, finished_only=True)
        if run is None:
            continue
        excluded = set(
            db.session.execute(
                select(ThemeAssignment.response_id).where(
                    ThemeAssignment.run_id == run.id, ThemeAssignment.excluded.is_(True)
                )
            ).scalars()
        )
        for row in theme_rows(run):
            theme = row.theme
            if not theme.published:
                continue
            quotes = _public_quotes(theme, blocked | excluded)
            findings.append(
                {
                    "question": question.text,
                    "theme": theme.label,
                    "description": theme.description,
                    "size": suppress(row.size),
                    "by_area": {area: suppress(n) for area, n in sorted(row.counts.items())},
                    "quotes": quotes,
                }
            )
    return findings


def _public_quotes(theme: Theme, blocked: set[int]) -> list[str]:
    pinned = list(theme.pinned_response_ids or [])
    quotes = {q["response_id"]: q["text"] for q in theme.quotes or []}
    if pinned:
        rows = db.session.execute(
            select(ThemeAssignment.response_id, ThemeAssignment.text_redacted).where(
                ThemeAssignment.theme_id == theme.id, ThemeAssignment.response_id.in_(pinned)
            )
        )
        quotes = {int(rid): text for rid, text in rows}
    return [text for rid, text in quotes.items() if rid not in blocked and text][:3]


def suppress(count: int) -> int | str:
    """Small numbers are not shown outside the staff area."""
    return "<5" if 0 < count < SMALL_NUMBER else count


EXPORT_COLUMNS = [
    "response_id",
    "external_id",
    "district",
    "theme_id",
    "theme_label",
    "theme_keywords",
    "is_outlier",
    "text_redacted",
]


def export_rows(run: ThemeRun) -> list[dict[str, Any]]:
    """One row per answer in the run: the contract of `themes export`."""
    records = {
        a.response_id: a for a in surveys.free_text_answers(run.consultation_id, run.question_id)
    }
    themes = {t.id: t for t in run.themes}

    def live(theme_id: int) -> Theme:
        theme = themes[theme_id]
        while theme.merged_into_id is not None and theme.merged_into_id in themes:
            theme = themes[theme.merged_into_id]
        return theme

    rows = []
    for assignment in db.session.execute(
        select(ThemeAssignment)
        .where(ThemeAssignment.run_id == run.id)
        .order_by(ThemeAssignment.response_id)
    ).scalars():
        theme = live(assignment.theme_id)
        record = records.get(assignment.response_id)
        rows.append(
            {
                "response_id": assignment.response_id,
                "external_id": (record.external_id if record else None) or "",
                "district": assignment.area or "",
                "theme_id": theme.id,
                "theme_label": theme.label,
                "theme_keywords": ", ".join(theme.keywords or []),
                "is_outlier": assignment.is_outlier,
                "text_redacted": assignment.text_redacted,
            }
        )
    return rows


def delete_run(run: ThemeRun) -> None:
    """Remove a failed or unwanted run and everything it wrote."""
    db.session.execute(delete(ThemeAssignment).where(ThemeAssignment.run_id == run.id))
    audit.record("themes.run_deleted", f"theme_run:{run.id}")
    db.session.delete(run)
    db.session.commit()
