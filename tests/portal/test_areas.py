"""Districts and boroughs, wards, and the ONS Postcode Directory import."""

from __future__ import annotations

from sqlalchemy import func, select

from portal.areas import services
from portal.areas.models import Postcode, Ward
from portal.extensions import db


def test_five_districts_are_seeded_by_migration(app) -> None:
    names = [d.name for d in services.districts()]
    assert names == [
        "North Warwickshire",
        "Nuneaton and Bedworth",
        "Rugby",
        "Stratford-on-Avon",
        "Warwick",
    ]


def test_district_lookup_is_forgiving(app) -> None:
    assert services.district_by_name("nuneaton & bedworth").slug == "nuneaton-and-bedworth"
    assert services.district_by_name("Rugby Borough Council").slug == "rugby"
    assert services.district_by_name("E07000221").slug == "stratford-on-avon"
    assert services.district_by_name("Coventry") is None


def test_postcode_normalisation() -> None:
    assert services.normalise_postcode(" cv344rl ") == "CV34 4RL"
    assert services.normalise_postcode("B46 6AA") == "B46 6AA"
    assert services.normalise_postcode("not a postcode") is None
    assert services.normalise_postcode("") is None


def test_import_onspd_loads_warwickshire_postcodes(runner, data_dir) -> None:
    result = runner.invoke(
        args=[
            "areas",
            "import-onspd",
            str(data_dir / "onspd_sample.csv"),
            "--ward-names",
            str(data_dir / "ward_names_sample.csv"),
        ]
    )
    assert result.exit_code == 0, result.output
    assert "Imported 6 postcodes" in result.output
    assert "1 outside Warwickshire" in result.output
    assert "1 terminated" in result.output
    found = services.resolve_postcode("cv34 4rl")
    assert found.district.name == "Warwick"
    assert found.ward.name == "Warwick Saltisford"
    assert services.resolve_postcode("CV1 2PH") is None  # Coventry is not in the county
    assert services.resolve_postcode("CV34 4XX") is None  # terminated
    unnamed = db.session.execute(select(Ward).where(Ward.gss_code == "E05007478")).scalar_one()
    assert unnamed.name == "E05007478"


def test_import_onspd_rejects_bad_rows_with_line_numbers(runner, data_dir) -> None:
    result = runner.invoke(args=["areas", "import-onspd", str(data_dir / "onspd_bad.csv")])
    assert result.exit_code != 0
    assert "line 3" in result.output
    assert "line 5" in result.output
    assert "nothing was imported" in result.output
    assert db.session.execute(select(func.count()).select_from(Postcode)).scalar_one() == 0


def test_import_is_repeatable(runner, data_dir) -> None:
    for _ in range(2):
        result = runner.invoke(args=["areas", "import-onspd", str(data_dir / "onspd_sample.csv")])
        assert result.exit_code == 0, result.output
    assert db.session.execute(select(func.count()).select_from(Postcode)).scalar_one() == 6
