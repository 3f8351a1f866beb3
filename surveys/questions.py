"""Question kinds, their fixed option lists, and how answers are shown."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

PREFER_NOT_TO_SAY = "Prefer not to say"
AGREEMENT = [
    "Strongly agree",
    "Agree",
    "Neither agree nor disagree",
    "Disagree",
    "Strongly disagree",
    "Don't know",
]
AGE_BANDS = ["Under 16", "16 to 17", "18 to 24", "25 to 34", "35 to 44", "45 to 54",
             "55 to 64", "65 to 74", "75 or over", PREFER_NOT_TO_SAY]  # fmt: skip
GENDERS = ["Woman", "Man", "Non-binary", "I describe myself another way", PREFER_NOT_TO_SAY]
ETHNICITIES = [
    "Asian or Asian British",
    "Black, Black British, Caribbean or African",
    "Mixed or multiple ethnic groups",
    "White",
    "Other ethnic group",
    PREFER_NOT_TO_SAY,
]
DISABILITY = ["Yes", "No", PREFER_NOT_TO_SAY]

KINDS: dict[str, Any] = {
    "free_text": _l("Free text"),
    "single_choice": _l("Single choice"),
    "multiple_choice": _l("Multiple choice"),
    "agreement": _l("Agreement scale"),
    "district": _l("District or borough (and ward)"),
    "postcode": _l("Postcode (resolved to district and ward)"),
    "contact_email": _l("Contact email (optional, with consent)"),
    "equality_age": _l("Equality: age band"),
    "equality_gender": _l("Equality: gender"),
    "equality_ethnicity": _l("Equality: ethnicity"),
    "equality_disability": _l("Equality: disability"),
}
FIXED_OPTIONS: dict[str, list[str]] = {
    "agreement": AGREEMENT,
    "equality_age": AGE_BANDS,
    "equality_gender": GENDERS,
    "equality_ethnicity": ETHNICITIES,
    "equality_disability": DISABILITY,
}
# Kinds whose answers are counted in results tables (closed questions).
CLOSED_KINDS = {
    "single_choice",
    "multiple_choice",
    "agreement",
    "district",
    "equality_age",
    "equality_gender",
    "equality_ethnicity",
    "equality_disability",
}
EQUALITY_KINDS = {k for k in KINDS if k.startswith("equality_")}
# Equality answers describe the person; they are never published per district.
PUBLIC_CLOSED_KINDS = CLOSED_KINDS - EQUALITY_KINDS


def options_for(kind: str, options: list[str] | None) -> list[str]:
    """The choices a question offers: fixed lists for scales and equality questions."""
    return list(FIXED_OPTIONS.get(kind) or options or [])


def is_multi(kind: str) -> bool:
    """True when the answer is a list of choices."""
    return kind == "multiple_choice"


def answer_display(value: Any) -> str:
    """An answer as one line of text (for check-your-answers, exports and staff views)."""
    if value is None or value == "" or value == []:
        return ""
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    if isinstance(value, dict):
        return " / ".join(str(v) for v in value.values() if v)
    return str(value)


# Labels for the fixed options, from the interface catalogues (the stored value stays English).
FIXED_OPTION_LABELS: dict[str, Any] = {
    "Strongly agree": _l("Strongly agree"),
    "Agree": _l("Agree"),
    "Neither agree nor disagree": _l("Neither agree nor disagree"),
    "Disagree": _l("Disagree"),
    "Strongly disagree": _l("Strongly disagree"),
    "Don't know": _l("Don't know"),
    "Under 16": _l("Under 16"),
    "16 to 17": _l("16 to 17"),
    "18 to 24": _l("18 to 24"),
    "25 to 34": _l("25 to 34"),
    "35 to 44": _l("35 to 44"),
    "45 to 54": _l("45 to 54"),
    "55 to 64": _l("55 to 64"),
    "65 to 74": _l("65 to 74"),
    "75 or over": _l("75 or over"),
    "Prefer not to say": _l("Prefer not to say"),
    "Woman": _l("Woman"),
    "Man": _l("Man"),
    "Non-binary": _l("Non-binary"),
    "I describe myself another way": _l("I describe myself another way"),
    "Asian or Asian British": _l("Asian or Asian British"),
    "Black, Black British, Caribbean or African": _l("Black, Black British, Caribbean or African"),
    "Mixed or multiple ethnic groups": _l("Mixed or multiple ethnic groups"),
    "White": _l("White"),
    "Other ethnic group": _l("Other ethnic group"),
    "Yes": _l("Yes"),
    "No": _l("No"),
    "I do not live in Warwickshire": _l("I do not live in Warwickshire"),
}
