"""The agreement measures behind `python -m nlp.evaluate`."""

from __future__ import annotations

import pytest

from nlp.evaluate import agreement, main


def test_perfect_and_chance_agreement():
    codes = [["a"], ["a"], ["b"], ["b"], ["c"], ["c"]]
    perfect = agreement(
        "x", codes, ["1", "1", "2", "2", "3", "3"], unassigned=[False] * 6, seconds=0
    )
    assert perfect.ami == pytest.approx(1.0) and perfect.ari == pytest.approx(1.0)
    assert perfect.macro_precision == 1.0 and perfect.macro_recall == 1.0
    # One theme per answer: NMI stays high but AMI does not reward it.
    split = agreement("x", codes, [str(i) for i in range(6)], unassigned=[False] * 6, seconds=0)
    assert split.ami < 0.2 < split.nmi


def test_multi_label_hits_count_any_code():
    codes = [["a", "b"], ["b"], ["b", "a"], ["c"]]
    score = agreement(
        "x", codes, ["1", "1", "1", "2"], unassigned=[False, False, False, True], seconds=0
    )
    top = score.themes[0]
    assert top.code == "b" and top.precision == 1.0
    assert score.unassigned_share == 0.25


def test_cli_rejects_unknown_column(tmp_path, capsys):
    path = tmp_path / "a.csv"
    path.write_text("text,code\nhello,a\n")
    with pytest.raises(SystemExit):
        main([str(path), "--text-column", "answer", "--label-column", "code"])
    assert "no column 'answer'" in capsys.readouterr().err
