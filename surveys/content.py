"""Consultation content in the resident's language, with English where a translation is missing.

Translations are data on the consultation, its pages and its questions: a JSON column
``translations`` shaped ``{language code: {field: text}}``; a question's option labels are kept
under ``"options"`` keyed by the English option, which stays the stored answer value (so results
tables and routing conditions never see a translated word). Interface strings (buttons, notes)
come from the Babel catalogues as usual; this module is only about what staff wrote.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from flask import current_app, has_request_context
from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup, escape

from surveys.models import Consultation, Question, Section
from surveys.questions import FIXED_OPTION_LABELS, options_for

# Translatable fields and their longest allowed text (the same limits as the English fields).
CONSULTATION_FIELDS = {
    "title": 200,
    "summary": 1000,
    "background": 20000,
    "audience_note": 300,
    "easy_read_summary": 5000,
}
SECTION_FIELDS = {"title": 200, "intro": 5000, "content_note": 2000}
QUESTION_FIELDS = {"text": 500, "hint": 2000}
OPTION_MAX = 500
SHORT_FIELD = 300  # fields up to this long get a one-line input in the staff form
TRANSLATED_OPTION_KINDS = {"single_choice", "multiple_choice"}


class LocalText(str):
    """Text for a resident page; English standing in for a missing translation renders
    inside ``<span lang="en" dir="ltr">`` so screen readers pronounce it as English."""

    fallback: bool

    def __new__(cls, value: str, fallback: bool = False) -> LocalText:
        obj = super().__new__(cls, value)
        obj.fallback = fallback and bool(value)
        return obj

    def __html__(self) -> Markup:
        escaped = escape(str(self))
        if self.fallback:
            return Markup('<span lang="en" dir="ltr">{}</span>').format(escaped)
        return escaped

    @property
    def plain(self) -> str:
        """The text without markup (for <title> and attributes)."""
        return str(self)

    def paragraphs(self) -> list[LocalText]:
        """Paragraphs split on blank lines, each keeping the fallback mark."""
        return [LocalText(p, self.fallback) for p in str(self).split("\n\n") if p.strip()]


def content_language() -> str:
    """The resident's interface language (a code from LANGUAGES), English outside a request."""
    if not has_request_context():
        return "en"
    code = str(get_locale() or "en")
    return code if code in current_app.config["LANGUAGES"] else "en"


def _translated(item: Any, lang: str) -> dict[str, Any]:
    return dict((getattr(item, "translations", None) or {}).get(lang) or {})


def text(item: Any, field: str, lang: str | None = None) -> LocalText:
    """One field of a consultation, page or question in `lang` (English if not translated)."""
    lang = lang or content_language()
    english = str(getattr(item, field, "") or "")
    if lang == "en":
        return LocalText(english)
    found = _translated(item, lang).get(field)
    if isinstance(found, str) and found.strip():
        return LocalText(found)
    return LocalText(english, fallback=True)


def option_label(question: Question, value: str, lang: str | None = None) -> LocalText:
    """The label shown for an option; the value stored stays the English option."""
    lang = lang or content_language()
    if lang == "en":
        return LocalText(value)
    found = (_translated(question, lang).get("options") or {}).get(value)
    if isinstance(found, str) and found.strip():
        return LocalText(found)
    if value in FIXED_OPTION_LABELS:
        label = str(FIXED_OPTION_LABELS[value])
        return LocalText(label, fallback=label == value)
    return LocalText(value, fallback=True)


def answer_text(question: Question, value: Any, lang: str | None = None) -> str:
    """A stored answer as the resident reads it (choices in their language), one line."""
    if value is None or value == "" or value == []:
        return ""
    if question.kind in TRANSLATED_OPTION_KINDS or question.kind in {
        "agreement",
        "district",
        "equality_age",
        "equality_gender",
        "equality_ethnicity",
        "equality_disability",
    }:
        values = value if isinstance(value, list) else [value]
        return "; ".join(str(option_label(question, str(v), lang)) for v in values)
    if isinstance(value, dict):
        return " / ".join(str(v) for v in value.values() if v)
    return str(value)


def languages_with_content(consultation: Consultation) -> set[str]:
    """Languages in which staff have translated at least one piece of the consultation."""
    found: set[str] = set()
    items: list[Any] = [consultation, *consultation.sections, *consultation.questions]
    for item in items:
        for lang, fields in (item.translations or {}).items():
            if any(
                (isinstance(v, str) and v.strip()) or (isinstance(v, dict) and any(v.values()))
                for v in (fields or {}).values()
            ):
                found.add(lang)
    return found


def is_available(consultation: Consultation, lang: str | None = None) -> bool:
    """True when the consultation can be shown in `lang` (English always can)."""
    lang = lang or content_language()
    return lang == "en" or lang in languages_with_content(consultation)


@dataclass(frozen=True)
class TranslationField:
    """One translatable piece of text, as the staff translation form shows it."""

    name: str
    label: str
    english: str
    max_length: int
    owner: Consultation | Section | Question
    field: str
    option: str | None = None

    @property
    def multiline(self) -> bool:
        """Long fields get a text area."""
        return self.max_length > SHORT_FIELD

    def current(self, lang: str) -> str:
        """The translation saved so far."""
        fields = _translated(self.owner, lang)
        if self.option is not None:
            return str((fields.get("options") or {}).get(self.option) or "")
        return str(fields.get(self.field) or "")


def translation_fields(consultation: Consultation) -> list[TranslationField]:
    """Every piece of the consultation staff can translate that has English text."""
    labels = {
        "title": _("Title"),
        "summary": _("Summary"),
        "background": _("Background"),
        "audience_note": _("Who it is for"),
        "easy_read_summary": _("Easy read summary"),
    }
    result = [
        TranslationField(
            f"c_{name}", labels[name], getattr(consultation, name), limit, consultation, name
        )  # fmt: skip
        for name, limit in CONSULTATION_FIELDS.items()
        if getattr(consultation, name)
    ]
    section_labels = {
        "title": _("page title"),
        "intro": _("introduction"),
        "content_note": _("content note"),
    }
    number = 0
    for page, section in enumerate(consultation.sections, start=1):
        for name, limit in SECTION_FIELDS.items():
            english = getattr(section, name)
            if english:
                label = _("Page %(n)d: %(what)s", n=page, what=section_labels[name])
                result.append(
                    TranslationField(f"s{section.id}_{name}", label, english, limit, section, name)
                )
        for question in section.questions:
            number += 1
            result.extend(_question_fields(question, number))
    return result


def _question_fields(question: Question, number: int) -> Iterable[TranslationField]:
    what = {"text": _("question"), "hint": _("hint")}
    for name, limit in QUESTION_FIELDS.items():
        english = getattr(question, name)
        if english:
            label = _("Question %(n)d: %(what)s", n=number, what=what[name])
            yield TranslationField(f"q{question.id}_{name}", label, english, limit, question, name)
    if question.kind in TRANSLATED_OPTION_KINDS:
        for index, option in enumerate(options_for(question.kind, question.options), start=1):
            label = _("Question %(n)d: option %(i)d", n=number, i=index)
            yield TranslationField(
                f"q{question.id}_option{index}", label, option, OPTION_MAX, question, "options",
                option,
            )  # fmt: skip


def with_translation(
    current: dict[str, Any] | None, lang: str, fields: dict[str, Any]
) -> dict[str, Any] | None:
    """A new translations value with `lang` replaced by `fields` (blank entries dropped)."""
    cleaned: dict[str, Any] = {}
    for key, value in fields.items():
        if isinstance(value, dict):
            value = {k: v for k, v in value.items() if v}
        if value:
            cleaned[key] = value
    result = {k: v for k, v in (current or {}).items() if k != lang}
    if cleaned:
        result[lang] = cleaned
    return result or None
