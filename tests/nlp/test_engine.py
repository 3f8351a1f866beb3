"""The pipeline end to end on a synthetic consultation (one shared run)."""

from __future__ import annotations

import json
from collections import Counter

import pytest
from sklearn.metrics import adjusted_rand_score

from nlp.codeframe import Codeframe, CodeframeTheme
from nlp.engine import TooFewAnswers, analyse
from nlp.results import AnalysisResult, Answer

from .conftest import CAMPAIGN, FOREIGN, NEAR_EMPTY, THEMES, consultation


def test_every_english_answer_is_assigned_once(answers, result):
    assigned = Counter(a.answer_id for a in result.assignments)
    set_aside = {s.answer_id for s in result.set_aside}
    assert all(n == 1 for n in assigned.values())
    assert set(assigned) | set_aside == {a.id for a in answers}
    theme_ids = {t.id for t in result.themes}
    assert all(a.theme_id in theme_ids for a in result.assignments)
    assert sum(t.size for t in result.themes) == len(result.assignments)


def test_themes_recover_the_synthetic_topics(answers, result):
    truth = {}
    for a in answers:
        for name, templates in THEMES.items():
            if any(a.text.startswith(t.split("{p}")[0][:25]) for t in templates):
                truth[a.id] = name
    pairs = [(truth[a.answer_id], a.theme_id) for a in result.assignments if a.answer_id in truth]
    # Related topics (youth clubs, drug dealing) may share a theme at this size; 0.5 is well
    # above what unrelated groupings score (about 0).
    assert adjusted_rand_score([p[0] for p in pairs], [p[1] for p in pairs]) > 0.5
    assert 3 <= result.run.quality.theme_count <= 40


def test_near_empty_answers_are_grouped(answers, result):
    near = [t for t in result.themes if t.is_near_empty]
    assert len(near) == 1
    ids = {a.id for a in answers if a.text in NEAR_EMPTY}
    grouped = {a.answer_id for a in result.assignments if a.theme_id == near[0].id}
    assert grouped == ids
    assert all(a.near_empty for a in result.assignments if a.answer_id in ids)


def test_campaign_is_one_theme_counted_in_full(answers, result):
    campaign_ids = {a.id for a in answers if a.text.startswith(CAMPAIGN[:30])}
    campaigns = [t for t in result.themes if t.is_campaign]
    assert len(campaigns) == 1
    assert campaigns[0].size == len(campaign_ids) == 8
    members = {a.answer_id for a in result.assignments if a.theme_id == campaigns[0].id}
    assert members == campaign_ids
    assert result.run.counts["clustered"] == result.run.counts["english"] - 12 - 8 + 1


def test_non_english_answers_are_set_aside(answers, result):
    foreign = {a.id for a in answers if a.text in FOREIGN}
    assert {s.answer_id for s in result.set_aside} == foreign
    assert result.set_aside_count == len(FOREIGN)
    assert {s.language for s in result.set_aside} == {"pl", "es", "fr"}


def test_themes_have_labels_keywords_and_redacted_quotes(result):
    for theme in result.themes:
        assert theme.label and theme.description
        assert theme.quotes
        if not (theme.is_near_empty or theme.is_campaign):
            assert theme.keywords
    areas = set(result.areas)
    for theme in result.themes:
        assert set(theme.quotes_by_area) <= areas
        assert sum(theme.counts_by_area.values()) == theme.size
        for rep in theme.representation:
            assert rep.test in {"chi-square", "fisher"} and 0 <= rep.p_value <= 1


def test_run_record(result, progress_calls):
    run = result.run
    assert run.seed == 7
    assert run.models["embedding"] and run.models["bertopic"]
    assert {"redacting", "embedding", "clustering", "labelling"} <= set(run.timings)
    assert run.quality.stability_ari is not None
    stages = {s for s, _, _ in progress_calls}
    assert {"redacting", "embedding", "clustering", "labelling"} <= stages


def test_json_round_trip(result):
    data = json.loads(json.dumps(result.to_dict()))
    again = AnalysisResult.from_dict(data)
    assert again == result


def test_same_seed_same_result_and_cache_reused(answers, cache, result):
    again = analyse(answers, seed=7, cache=cache)
    assert again.run.counts["embedded_new"] == 0
    assert [a.theme_id for a in again.assignments] == [a.theme_id for a in result.assignments]
    assert [t.label for t in again.themes] == [t.label for t in result.themes]


def test_too_few_answers_says_how_many_are_needed():
    few = [Answer(i, f"More police patrols in area {i} please", "Rugby") for i in range(5)]
    few += [Answer(f"e{i}", "nothing", "Rugby") for i in range(30)]
    with pytest.raises(TooFewAnswers) as info:
        analyse(few)
    assert info.value.needed == 20
    assert info.value.got == 5
    assert "20" in str(info.value)


def test_codeframe_themes_appear_and_new_themes_are_found(cache):
    answers = consultation(seed=1)
    codeframe = Codeframe.of(
        [
            CodeframeTheme(
                "Street lighting",
                "Dark streets, broken street lights, unsafe walking home at night",
                ("lighting", "street lights", "dark"),
            ),
            {"name": "Drug dealing", "description": "Drug dealers and county lines gangs"},
        ]
    )
    res = analyse(answers, codeframe=codeframe, seed=3, cache=cache)
    named = {t.codeframe_name: t for t in res.themes if t.codeframe_name}
    assert set(named) == {"Street lighting", "Drug dealing"}
    lighting = {a.answer_id for a in res.assignments if a.theme_id == named["Street lighting"].id}
    lit = {a.id for a in answers if "light" in a.text.lower()}
    assert len(lighting & lit) >= 0.8 * len(lit)
    discovered = [
        t for t in res.themes if not (t.codeframe_name or t.is_near_empty or t.is_campaign)
    ]
    assert len(discovered) >= 2
    # Carried forward, the curated themes become the next run's codeframe.
    forward = Codeframe.from_result(res)
    assert "Street lighting" in {t.name for t in forward.themes}
    assert Codeframe.from_dict(json.loads(json.dumps(forward.to_dict()))) == forward


def test_bad_input_never_crashes(cache):
    answers = consultation(seed=2, per_theme=6)
    odd = [
        "",
        None,
        "   \n\t ",
        "\u200b\u200b\ufeff",
        "🙂🙂🙂🔪🚓",
        "\ud83d broken surrogate",
        "Ｆｕｌｌ－ｗｉｄｔｈ ｐｏｌｉｃｅ ｐａｔｒｏｌｓ ｐｌｅａｓｅ",
        "Zalgo t̷̢e̵x̸t̶ about knives",
        "مزيد من الشرطة في الشوارع من فضلك",
        "Police " * 5000,
        "\x00\x01 control characters and lighting",
    ]
    answers += [Answer(f"odd{i}", t, None) for i, t in enumerate(odd)]
    res = analyse(answers, seed=1, cache=cache)
    ids = {a.answer_id for a in res.assignments} | {s.answer_id for s in res.set_aside}
    assert {f"odd{i}" for i in range(len(odd))} <= ids
    assert "Unknown" in res.areas
