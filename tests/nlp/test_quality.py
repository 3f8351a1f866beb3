"""Quality on real human-coded answers (slow), and the package's import rules."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sklearn.metrics import adjusted_mutual_info_score

from nlp.engine import analyse
from nlp.results import Answer

ENGINE_MODULES = [
    "codeframe",
    "embeddings",
    "engine",
    "evaluate",
    "labels",
    "preprocess",
    "redaction",
    "results",
    "theming",
]


def test_importing_nlp_is_light_and_flask_free():
    code = (
        "import sys, nlp, nlp.results, nlp.codeframe; "
        "assert 'torch' not in sys.modules and 'bertopic' not in sys.modules; "
        "print(nlp.Answer.__name__)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "Answer"
    root = Path(__file__).resolve().parents[2] / "nlp"
    for name in ENGINE_MODULES:
        source = (root / f"{name}.py").read_text()
        assert "import flask" not in source.lower() and "from flask" not in source.lower()


@pytest.mark.slow
def test_patient_feedback_sample_agrees_with_human_codes(patient_feedback):
    sample = patient_feedback.sample(400, random_state=5)
    answers = [Answer(int(r.row_index), r.feedback, r.organization) for r in sample.itertuples()]
    result = analyse(answers, seed=42, config=_no_stability())
    code = dict(zip(sample.row_index, sample.label, strict=True))
    themes = [a.theme_id for a in result.assignments]
    ami = adjusted_mutual_info_score([code[a.answer_id] for a in result.assignments], themes)
    assert ami > 0.15
    assert 5 <= result.run.quality.theme_count <= 40
    assert result.run.quality.unassigned_share < 0.05
    near = next(t for t in result.themes if t.is_near_empty)
    grouped = [code[a.answer_id] for a in result.assignments if a.theme_id == near.id]
    assert grouped.count("Couldn't be improved") / len(grouped) > 0.8
    assert set(result.areas) == {"Trust A", "Trust B", "Trust C"}


def _no_stability():
    from nlp.engine import EngineConfig

    return EngineConfig(stability_check=False)
