"""Interface translations: every catalogue complete, nothing fuzzy, placeholders intact."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from portal import PROJECT_ROOT

LANGUAGES = ["pl", "ro", "pa", "ur", "gu"]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%[sd]")
TAG = re.compile(r"</?[a-zA-Z][^>]*>")


def _catalogue(code: str):
    path = Path(PROJECT_ROOT / "translations" / code / "LC_MESSAGES" / "messages.po")
    with path.open("rb") as handle:
        return read_po(handle, locale=code)


def _placeholders(text: str) -> list[str]:
    return sorted(m.group(0) for m in PLACEHOLDER.finditer(text))


@pytest.mark.parametrize("code", LANGUAGES)
def test_catalogue_is_complete_and_consistent(code: str) -> None:
    problems = []
    catalogue = _catalogue(code)
    for message in catalogue:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            problems.append(f"fuzzy: {ids[0]!r}")
        if not all(s.strip() for s in strings):
            problems.append(f"untranslated: {ids[0]!r}")
            continue
        expected = _placeholders(ids[-1])
        for translated in strings:
            if _placeholders(translated) != expected and _placeholders(translated) != _placeholders(
                ids[0]
            ):
                problems.append(f"placeholders differ: {ids[0]!r} -> {translated!r}")
            if sorted(TAG.findall(ids[0])) and len(TAG.findall(translated)) != len(
                TAG.findall(ids[0])
            ):
                problems.append(f"markup differs: {ids[0]!r} -> {translated!r}")
    assert problems == [], f"{len(problems)} problems in {code}:\n" + "\n".join(problems[:40])
