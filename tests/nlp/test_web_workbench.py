"""The theme analysis in the portal: run as a job from the CLI and the UI, review, curate,
publish, export. Uses the real engine on a small synthetic consultation."""

from __future__ import annotations

import csv
import io
import random
import re

import pytest
from markupsafe import escape
from openpyxl import load_workbook
from sqlalchemy import func, select

from nlp.web import services
from nlp.web.models import Theme, ThemeAssignment, ThemeDecision, ThemeRun
from portal.auth.models import AuditEvent
from portal.extensions import db
from surveys import services as surveys
from tests.conftest import submit_form

pytestmark = pytest.mark.slow

DISTRICTS = ["North Warwickshire", "Nuneaton and Bedworth", "Rugby", "Stratford-on-Avon", "Warwick"]
TOPICS = {
    "lighting": [
        "The street lights on {place} are broken and it is pitch dark walking home at night",
        "Better lighting in the underpass near {place} would make me feel much safer",
        "It's so dark by the park on {place}, we need more street lamps",
        "Please fix the lights along {place}, the alley is unlit after 6pm",
    ],
    "youth": [
        "There is nothing for teenagers to do in {place}, open the youth club again",
        "Young people need somewhere to go in the evenings, more youth workers in {place}",
        "Bring back the youth centre in {place} so kids are not hanging around the shops",
        "More sports clubs and activities would keep young people off the streets in {place}",
    ],
    "police": [
        "We never see police officers on foot in {place}, more patrols please",
        "Police should be more visible around {place} especially on Friday nights",
        "I would like to see PCSOs walking around {place} and talking to residents",
        "More police presence near the station in {place} would help",
    ],
    "knives": [
        "Teach children in schools about the dangers of carrying knives, {place} has had stabbings",
        "Knife crime education in schools in {place} should start earlier",
        "More knife amnesty bins around {place} and talks in schools about knife crime",
        "Schools in {place} need workshops on why carrying a blade ruins lives",
    ],
}
PLACES = [
    "the high street",
    "Church Road",
    "the market square",
    "the canal path",
    "Station Road",
    "the retail park",
    "Queens Road",
    "the bus station",
]


def _write_answers(path, count_per_topic: int = 30, seed: int = 1) -> None:
    rng = random.Random(seed)
    rows = []
    for topic, templates in TOPICS.items():
        for i in range(count_per_topic):
            text = rng.choice(templates).format(place=rng.choice(PLACES))
            rows.append({"id": f"{topic}-{i}", "answer": text, "district": rng.choice(DISTRICTS)})
    rows += [
        {
            "id": f"empty-{i}",
            "answer": rng.choice(["No", "n/a", "nothing"]),
            "district": rng.choice(DISTRICTS),
        }
        for i in range(6)
    ]
    rows.append(
        {
            "id": "pii",
            "answer": "Call Sarah Jones on 07700 900123 about the lights on the high street",
            "district": "Rugby",
        }
    )
    rng.shuffle(rows)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=["id", "answer", "district"])
        writer.writeheader()
        writer.writerows(rows)


def _import(runner, path, with_ids: bool = True) -> str:
    ids = ["--id-column", "id"] if with_ids else []
    result = runner.invoke(
        args=[
            "consultations",
            "import-csv",
            str(path),
            "--title",
            "Feeling safe where you live",
            "--text-column",
            "answer",
            "--district-column",
            "district",
            *ids,
        ]
    )
    assert result.exit_code == 0, result.output
    return result.stdout.strip().splitlines()[-1]


def test_run_review_curate_publish_export(app, client, auth, runner, tmp_path) -> None:
    source = tmp_path / "answers.csv"
    _write_answers(source)
    slug = _import(runner, source)

    result = runner.invoke(args=["themes", "run", slug, "--seed", "7"])
    assert result.exit_code == 0, result.output
    assert "themes from 127 answers" in result.output
    run = db.session.execute(select(ThemeRun)).scalar_one()
    assert run.status == "finished"
    assert run.run_info["seed"] == 7
    assert "embedding" in run.run_info["models"] or run.run_info["models"]
    themes = list(run.themes)
    assert 3 <= len([t for t in themes if not (t.is_near_empty or t.is_other)]) <= 40
    assigned = db.session.execute(select(func.count()).select_from(ThemeAssignment)).scalar_one()
    assert assigned == 127  # every answer has a theme
    near_empty = [t for t in themes if t.is_near_empty]
    assert (
        near_empty
        and sum(1 for a in db.session.execute(select(ThemeAssignment)).scalars() if a.near_empty)
        == 6
    )
    # personal data never reaches the stored, shown text
    texts = " ".join(db.session.execute(select(ThemeAssignment.text_redacted)).scalars())
    assert "Sarah Jones" not in texts and "07700 900123" not in texts

    # the workbench
    auth.as_role("analyst")
    page = client.get(f"/staff/themes/runs/{run.id}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    for district in DISTRICTS:
        assert district in html
    lighting = next(t for t in themes if any("light" in k for k in t.keywords))
    theme_page = client.get(f"/staff/themes/runs/{run.id}/themes/{lighting.id}")
    assert theme_page.status_code == 200
    assert "Show original" in theme_page.get_data(as_text=True)

    # rename, with an error first (empty name keeps the page and shows the summary)
    bad = submit_form(
        client,
        f"/staff/themes/runs/{run.id}/themes/{lighting.id}",
        {"label": "", "description": "x"},
    )
    assert bad.status_code == 405  # the theme page itself only renders
    url = f"/staff/themes/runs/{run.id}/themes/{lighting.id}"
    token = re.search(
        r'name="csrf_token"[^>]*value="([^"]+)"', theme_page.get_data(as_text=True)
    ).group(1)
    bad = client.post(
        f"{url}/rename", data={"csrf_token": token, "label": "", "description": "kept"}
    )
    assert bad.status_code == 400
    assert "govuk-error-summary" in bad.get_data(as_text=True)
    assert "kept" in bad.get_data(as_text=True)
    ok = client.post(
        f"{url}/rename",
        data={
            "csrf_token": token,
            "label": "Street lighting",
            "description": "Dark streets and underpasses",
        },
    )
    assert ok.status_code == 302
    db.session.refresh(lighting)
    assert lighting.label == "Street lighting"

    # merge another theme into it, move and exclude answers, pin a quote, mark reviewed
    other = next(
        t
        for t in run.themes
        if t.id != lighting.id and not t.is_near_empty and t.merged_into_id is None
    )
    moved = (
        db.session.execute(select(ThemeAssignment).where(ThemeAssignment.theme_id == other.id))
        .scalars()
        .first()
    )
    response = client.post(
        f"/staff/themes/runs/{run.id}/answers/{moved.id}/move",
        data={"csrf_token": token, "target": lighting.id},
    )
    assert response.status_code == 302
    db.session.refresh(moved)
    assert moved.theme_id == lighting.id and moved.source == "person"
    client.post(
        f"/staff/themes/runs/{run.id}/answers/{moved.id}/exclude", data={"csrf_token": token}
    )
    db.session.refresh(moved)
    assert moved.excluded
    pin_target = (
        db.session.execute(
            select(ThemeAssignment).where(
                ThemeAssignment.theme_id == lighting.id, ThemeAssignment.excluded.is_(False)
            )
        )
        .scalars()
        .first()
    )
    client.post(f"{url}/pin/{pin_target.response_id}", data={"csrf_token": token})
    client.post(f"{url}/notes", data={"csrf_token": token, "notes": "Checked", "reviewed": "y"})
    db.session.refresh(lighting)
    assert lighting.pinned_response_ids == [pin_target.response_id]
    assert lighting.reviewed

    # the original text on request is audited
    original = client.post(
        f"/staff/themes/runs/{run.id}/answers/{pin_target.id}/original", data={"csrf_token": token}
    )
    assert original.status_code == 200
    assert (
        db.session.execute(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "themes.original_viewed")
        ).scalar_one()
        == 1
    )

    actions = set(db.session.execute(select(ThemeDecision.action)).scalars())
    assert {"rename", "move", "exclude", "pin", "review"} <= actions

    # publish the lighting theme: it appears on the public results page, redacted
    consultation = surveys.consultation_by_slug(slug)
    surveys.set_status(consultation, "published")
    client.post(
        f"/staff/themes/runs/{run.id}/publish", data={"csrf_token": token, "themes": [lighting.id]}
    )
    auth.logout()
    public = client.get(f"/consultations/{slug}/results").get_data(as_text=True)
    assert "Street lighting" in public
    assert str(escape(pin_target.text_redacted)) in public
    assert other.label not in public or other.published
    api = client.get(f"/api/v1/consultations/{slug}").get_json()
    findings_url = api["links"]["findings"].replace("http://localhost", "")
    findings = client.get(findings_url).get_data(as_text=True)
    assert "Street lighting" in findings
    assert "Sarah Jones" not in findings

    # export: the CLI contract
    out = tmp_path / "themes.csv"
    result = runner.invoke(args=["themes", "export", slug, "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert list(rows[0]) == services.EXPORT_COLUMNS
    assert len(rows) == 127
    assert {r["district"] for r in rows} == set(DISTRICTS)
    assert any(r["theme_label"] == "Street lighting" for r in rows)
    assert all(r["external_id"] for r in rows)
    xlsx = tmp_path / "themes.xlsx"
    assert runner.invoke(args=["themes", "export", slug, "--out", str(xlsx)]).exit_code == 0
    sheet = load_workbook(xlsx).active
    assert [c.value for c in sheet[1]] == services.EXPORT_COLUMNS
    assert sheet.max_row == 128

    # re-run with the curated themes carried forward: the curated name comes back
    result = runner.invoke(args=["themes", "run", slug, "--seed", "7", "--carry-forward"])
    assert result.exit_code == 0, result.output
    latest = services.latest_run(consultation.id, run.question_id)
    assert latest.id != run.id
    assert any(t.codeframe_name == "Street lighting" for t in latest.themes)


def test_too_few_answers_lists_them_with_the_number_needed(
    app, client, auth, runner, tmp_path
) -> None:
    source = tmp_path / "few.csv"
    source.write_text(
        "answer,district\nMore police on Church Road,Rugby\n"
        "Fix the lights by the canal,Warwick\nCall me on 07700 900123,Rugby\n",
        encoding="utf-8",
    )
    slug = _import(runner, source, with_ids=False)
    result = runner.invoke(args=["themes", "run", slug])
    assert result.exit_code != 0
    assert "needs at least" in result.output
    run = db.session.execute(select(ThemeRun)).scalar_one()
    assert run.status == "too_few"
    auth.as_role("analyst")
    html = client.get(f"/staff/themes/runs/{run.id}").get_data(as_text=True)
    assert "needs at least" in html
    assert "More police on Church Road" in html
    assert "07700 900123" not in html  # listed answers are redacted too
    assert db.session.execute(select(func.count()).select_from(Theme)).scalar_one() == 0


def test_failed_run_shows_nothing_and_can_be_retried(
    app, client, auth, runner, tmp_path, monkeypatch
) -> None:
    source = tmp_path / "answers.csv"
    _write_answers(source, count_per_topic=6)
    slug = _import(runner, source)
    import nlp.engine

    def broken(*args, **kwargs):
        raise RuntimeError("the model crashed")

    monkeypatch.setattr(nlp.engine, "analyse", broken)
    auth.as_role("analyst")
    consultation = surveys.consultation_by_slug(slug)
    question = surveys.free_text_questions(consultation.id)[0]
    response = submit_form(
        client, f"/staff/themes/{slug}/run", {"question": question.id, "seed": "3"}
    )
    assert response.status_code == 302
    run = db.session.execute(select(ThemeRun)).scalar_one()
    assert run.status == "failed"
    assert db.session.execute(select(func.count()).select_from(Theme)).scalar_one() == 0
    html = client.get(f"/staff/themes/runs/{run.id}").get_data(as_text=True)
    assert "the model crashed" in html
    assert "Try again" in html
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)
    retried = client.post(f"/staff/themes/runs/{run.id}/retry", data={"csrf_token": token})
    assert retried.status_code == 302
    assert db.session.execute(select(func.count()).select_from(ThemeRun)).scalar_one() == 2


def test_codeframe_parsing() -> None:
    parsed = services.parse_codeframe(
        "Street lighting: dark paths | lights, dark\n\n  Youth provision  \n: no name | x"
    )
    assert parsed == [
        {"name": "Street lighting", "description": "dark paths", "examples": ["lights", "dark"]},
        {"name": "Youth provision", "description": "", "examples": []},
    ]


def test_database_cache_keeps_vectors_and_redactions(app) -> None:
    import numpy as np

    from nlp.embeddings import EmbeddingCache, RedactionCache

    cache = services.DbEmbeddingCache()
    assert isinstance(cache, EmbeddingCache) and isinstance(cache, RedactionCache)
    cache.put_many("model-x", {"h1": np.array([0.5, 0.25], dtype=np.float32)})
    cache.put_redactions("v1", {"h1": "Call <NAME> about the lights"})
    cache.put_many("model-x", {"h1": np.array([9.0, 9.0], dtype=np.float32)})  # first one kept
    assert cache.get_many("model-x", ["h1", "h2"])["h1"].tolist() == [0.5, 0.25]
    assert cache.get_redactions("v1", ["h1"]) == {"h1": "Call <NAME> about the lights"}
    assert cache.get_redactions("v2", ["h1"]) == {}
