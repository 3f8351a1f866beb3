"""Area look-ups and the ONS Postcode Directory import: the only area code touching the session."""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import delete, select

from portal.areas.models import DISTRICTS, District, Postcode, Ward
from portal.extensions import db

POSTCODE_RE = re.compile(r"^([A-Z]{1,2}[0-9][A-Z0-9]?)([0-9][A-Z]{2})$")
_POSTCODE_COLUMNS = ("pcds", "pcd", "pcd2", "pcd7", "pcd8")
_DISTRICT_COLUMNS = re.compile(r"^(oslaua|lad\d{2}cd|ladcd|lad)$")
_WARD_COLUMNS = re.compile(r"^(osward|wd\d{2}cd|wdcd|ward)$")


def districts() -> list[District]:
    """The five districts and boroughs, by name."""
    return list(db.session.execute(select(District).order_by(District.name)).scalars())


def district_by_slug(slug: str) -> District | None:
    """Find a district by its URL slug."""
    return db.session.execute(select(District).where(District.slug == slug)).scalar_one_or_none()


def district_by_name(name: str) -> District | None:
    """Find a district by its name, slug or GSS code, ignoring case, spacing and '&'."""
    key = _name_key(name)
    for district in districts():
        if key in {_name_key(district.name), _name_key(district.slug), district.gss_code.lower()}:
            return district
    return None


def _name_key(text: str) -> str:
    text = text.strip().lower().replace("&", "and")
    text = re.sub(r"\b(borough|district|council)\b", "", text)
    return re.sub(r"[^a-z0-9]+", "", text)


def normalise_postcode(raw: str) -> str | None:
    """Return the postcode as 'CV34 4RL', or None when it is not a valid UK postcode shape."""
    compact = re.sub(r"\s+", "", raw or "").upper()
    match = POSTCODE_RE.match(compact)
    return f"{match.group(1)} {match.group(2)}" if match else None


def resolve_postcode(raw: str) -> Postcode | None:
    """Find which district and ward a postcode is in, where the lookup is loaded."""
    postcode = normalise_postcode(raw)
    if postcode is None:
        return None
    return db.session.get(Postcode, postcode)


def ensure_districts() -> None:
    """Insert any of the five districts that are missing (idempotent)."""
    have = {d.gss_code for d in db.session.execute(select(District)).scalars()}
    for slug, code, name in DISTRICTS:
        if code not in have:
            db.session.add(District(slug=slug, gss_code=code, name=name))
    db.session.flush()


@dataclass
class ImportReport:
    """What an ONSPD import did, and which rows it refused."""

    imported: int = 0
    skipped_outside: int = 0
    skipped_terminated: int = 0
    wards: int = 0
    errors: list[str] = field(default_factory=list)


def _pick_column(headers: Iterable[str], pattern: re.Pattern[str] | tuple[str, ...]) -> str | None:
    for header in headers:
        name = header.strip().lower()
        if isinstance(pattern, tuple) and name in pattern:
            return header
        if isinstance(pattern, re.Pattern) and pattern.match(name):
            return header
    return None


def import_onspd(path: Path, ward_names: dict[str, str] | None = None) -> ImportReport:
    """Load live Warwickshire postcodes from an ONSPD CSV extract, replacing the old lookup.

    Rows with a malformed postcode are reported with their line numbers and nothing is
    written until the file is clean. Postcodes outside the five districts, and terminated
    ones, are counted and skipped.
    """
    report = ImportReport()
    ensure_districts()
    by_code = {d.gss_code: d for d in districts()}
    rows: list[tuple[str, District, str | None]] = []
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        headers = reader.fieldnames or []
        pc_col = _pick_column(headers, _POSTCODE_COLUMNS)
        la_col = _pick_column(headers, _DISTRICT_COLUMNS)
        wd_col = _pick_column(headers, _WARD_COLUMNS)
        term_col = _pick_column(headers, ("doterm",))
        if pc_col is None or la_col is None:
            report.errors.append(
                "line 1: the file needs a postcode column (pcds) and a district column "
                "(oslaua or ladNNcd)"
            )
            return report
        for line_no, row in enumerate(reader, start=2):
            district = by_code.get((row.get(la_col) or "").strip())
            if district is None:
                report.skipped_outside += 1
                continue
            if term_col and (row.get(term_col) or "").strip():
                report.skipped_terminated += 1
                continue
            postcode = normalise_postcode(row.get(pc_col) or "")
            if postcode is None:
                report.errors.append(f"line {line_no}: {row.get(pc_col)!r} is not a postcode")
                continue
            ward_code = (row.get(wd_col) or "").strip() if wd_col else ""
            rows.append((postcode, district, ward_code or None))
    if report.errors:
        return report
    _replace_postcodes(rows, ward_names or {}, report)
    return report


def _replace_postcodes(
    rows: list[tuple[str, District, str | None]], ward_names: dict[str, str], report: ImportReport
) -> None:
    wards = {w.gss_code: w for w in db.session.execute(select(Ward)).scalars()}
    db.session.execute(delete(Postcode))
    seen: set[str] = set()
    for postcode, district, ward_code in rows:
        if postcode in seen:
            continue
        seen.add(postcode)
        ward = None
        if ward_code:
            ward = wards.get(ward_code)
            if ward is None:
                ward = Ward(
                    gss_code=ward_code, name=ward_names.get(ward_code, ward_code), district=district
                )
                db.session.add(ward)
                wards[ward_code] = ward
                report.wards += 1
            elif ward_code in ward_names:
                ward.name = ward_names[ward_code]
        db.session.add(Postcode(postcode=postcode, district=district, ward=ward))
        report.imported += 1
    db.session.commit()


def read_ward_names(path: Path) -> dict[str, str]:
    """Read an ONS ward names file (columns WDnnCD and WDnnNM) into code → name."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        headers = reader.fieldnames or []
        code_col = _pick_column(headers, re.compile(r"^wd\d{2}cd$"))
        name_col = _pick_column(headers, re.compile(r"^wd\d{2}nm$"))
        if code_col is None or name_col is None:
            raise ValueError("ward names file needs WDnnCD and WDnnNM columns")
        return {row[code_col].strip(): row[name_col].strip() for row in reader}
