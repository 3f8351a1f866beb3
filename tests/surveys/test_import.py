"""Importing responses gathered elsewhere, from the CLI and the staff page."""

from __future__ import annotations

import io

from sqlalchemy import func, select

from portal.extensions import db
from surveys import services
from surveys.models import Consultation, Response
from tests.conftest import submit_form


def _responses() -> int:
    return db.session.execute(select(func.count(Response.id))).scalar_one()


def test_import_creates_consultation_and_prints_slug(runner, data_dir) -> None:
    result = runner.invoke(
        args=["consultations", "import-csv", str(data_dir / "surveys_import_good.csv"),
              "--title", "Paper forms from Rugby market", "--text-column", "Comment",
              "--district-column", "Borough", "--id-column", "ref"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    slug = result.stdout.strip().splitlines()[-1]
    assert slug == "paper-forms-from-rugby-market"
    consultation = services.consultation_by_slug(slug)
    answers = services.free_text_answers(consultation.id)
    assert [a.external_id for a in answers] == ["A1", "A2", "A3"]
    assert answers[1].district_name == "Nuneaton and Bedworth"
    assert answers[1].text == "More youth workers, please.\nKids have nowhere to go."
    assert answers[2].district_slug is None
    assert {a.channel for a in answers} == {"import"}


def test_bad_rows_are_listed_with_line_numbers_and_nothing_imported(runner, data_dir) -> None:
    result = runner.invoke(
        args=["consultations", "import-csv", str(data_dir / "surveys_import_bad.csv"),
              "--title", "Bad file", "--text-column", "Comment",
              "--district-column", "Borough", "--id-column", "ref"],
    )  # fmt: skip
    assert result.exit_code != 0
    assert "line 3: 'Coventry' is not a Warwickshire district" in result.output
    assert "line 4: the text is empty" in result.output
    assert "line 6: id 'B1' is also on line 2" in result.output
    assert "nothing was imported" in result.output
    assert _responses() == 0
    assert db.session.execute(select(func.count(Consultation.id))).scalar_one() == 0


def test_bad_encoding_is_reported_by_line(runner, tmp_path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes("text\nfine\ncaf\u00e9 is nice\n".encode("latin-1"))
    result = runner.invoke(
        args=["consultations", "import-csv", str(path), "--title", "X", "--text-column", "text"]
    )
    assert result.exit_code != 0
    assert "line 3: not UTF-8" in result.output
    assert _responses() == 0


def test_missing_column_is_reported(runner, data_dir) -> None:
    result = runner.invoke(
        args=["consultations", "import-csv", str(data_dir / "surveys_import_good.csv"),
              "--title", "X", "--text-column", "Answer"],
    )  # fmt: skip
    assert result.exit_code != 0 and "no column called 'Answer'" in result.output


def test_import_into_existing_and_refuses_reimport(runner, data_dir, consultation) -> None:
    path = str(data_dir / "surveys_import_good.csv")
    args = ["consultations", "import-csv", path, "--into", consultation.slug,
            "--text-column", "Comment", "--id-column", "ref"]  # fmt: skip
    first = runner.invoke(args=args)
    assert first.exit_code == 0, first.output
    assert first.stdout.strip().splitlines()[-1] == consultation.slug
    assert len(services.free_text_answers(consultation.id)) == 3
    again = runner.invoke(args=args)
    assert again.exit_code != 0 and "imported before" in again.output
    assert len(services.free_text_answers(consultation.id)) == 3


def test_staff_import_page(client, auth, data_dir) -> None:
    auth.as_role("analyst")
    data = {
        "title": "Email responses",
        "text_column": "Comment",
        "district_column": "Borough",
        "id_column": "ref",
        "file": (io.BytesIO((data_dir / "surveys_import_bad.csv").read_bytes()), "bad.csv"),
    }
    r = submit_form(client, "/staff/consultations/import", data, content_type="multipart/form-data")
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "govuk-error-summary" in html and "line 3" in html
    assert 'value="Email responses"' in html  # typed answers kept
    assert _responses() == 0
    data["file"] = (io.BytesIO((data_dir / "surveys_import_good.csv").read_bytes()), "good.csv")
    r = submit_form(client, "/staff/consultations/import", data, content_type="multipart/form-data")
    assert r.status_code == 302
    assert _responses() == 3
