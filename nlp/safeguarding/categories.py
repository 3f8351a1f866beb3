"""The disclosure categories, severities and the help contacts shown for each."""

from __future__ import annotations

NONE = "none"
RISK_TO_SELF = "risk_to_self"
RISK_TO_OTHERS = "risk_to_others"
DOMESTIC_ABUSE = "domestic_abuse"
EXPLOITATION = "exploitation"
CRIME_INFORMATION = "crime_information"

DISCLOSURE_CATEGORIES: tuple[str, ...] = (
    RISK_TO_SELF,
    RISK_TO_OTHERS,
    DOMESTIC_ABUSE,
    EXPLOITATION,
    CRIME_INFORMATION,
)
CATEGORIES: tuple[str, ...] = (NONE, *DISCLOSURE_CATEGORIES)
SEVERITIES: tuple[str, ...] = ("none", "low", "medium", "high")

# Keys of the help contacts in the portal configuration; numbers and links live there.
SUPPORT_KEYS: tuple[str, ...] = (
    "emergency",
    "police",
    "crimestoppers",
    "childline",
    "domestic_abuse",
    "samaritans",
    "talk2someone",
    "safe_in_warwickshire",
)

_SUPPORT: dict[str, tuple[str, ...]] = {
    RISK_TO_SELF: ("samaritans", "talk2someone", "childline", "safe_in_warwickshire"),
    RISK_TO_OTHERS: ("police", "crimestoppers", "childline", "safe_in_warwickshire"),
    DOMESTIC_ABUSE: ("domestic_abuse", "police", "childline", "safe_in_warwickshire"),
    EXPLOITATION: ("childline", "police", "crimestoppers", "safe_in_warwickshire"),
    CRIME_INFORMATION: ("crimestoppers", "police"),
}


def support_for(category: str, severity: str) -> list[str]:
    """The help contact keys to show a resident for a category and severity, most urgent first."""
    if category not in CATEGORIES:
        raise ValueError(f"Unknown safeguarding category: {category!r}")
    if severity not in SEVERITIES:
        raise ValueError(f"Unknown safeguarding severity: {severity!r}")
    if category == NONE:
        return []
    keys = list(_SUPPORT[category])
    # 999 goes first whenever someone may be in immediate danger.
    if severity == "high":
        keys.insert(0, "emergency")
    return keys
