"""How urgent a disclosure is: "high" means someone may be in danger now."""

from __future__ import annotations

import re
from collections.abc import Sequence

from nlp.safeguarding.categories import (
    CRIME_INFORMATION,
    DOMESTIC_ABUSE,
    EXPLOITATION,
    NONE,
    RISK_TO_OTHERS,
    RISK_TO_SELF,
)
from nlp.safeguarding.rules import RuleHit

# Words that put the danger in the present: the next few hours or right here.
_NOW = re.compile(
    r"\b(right now|rn|now|tonight|2nite|tonite|today|this (evening|weekend|afternoon|morning)"
    r"|tomorrow|outside (my|our|the) (house|home|door|flat|school)|waiting (for me|outside)"
    r"|on (his|her|their|my) way|coming round|please help|help me|after school|at the door)\b",
    re.IGNORECASE,
)
# A plan or the means for suicide or self-harm.
_PLAN = re.compile(
    r"\b(plan|planned|pills?|tablets?|paracetamol|rope|notes?|goodbye|bridge|ledge|roof"
    r"|written|wrote|saved up|stockpil\w*|tried to)\b",
    re.IGNORECASE,
)
# A threat to kill or to use a weapon on someone.
_LETHAL = re.compile(
    r"\b(kill|stab|shank|shoot|slash|murder|merk|strangl\w*|chok\w*|throttl\w*|knifed?"
    r"|machete|gun|blade)\w*\b",
    re.IGNORECASE,
)
# Something that happened and is over, with nothing saying it goes on.
_PAST = re.compile(
    r"\b(years? ago|last year|when i was (a kid|little|younger|at school)|used to|in the past"
    r"|months ago)\b",
    re.IGNORECASE,
)


def grade(category: str, text: str, hits: Sequence[RuleHit], score: float) -> str:
    """The severity of a screened text: "none", "low", "medium" or "high"."""
    if category == NONE:
        return "none"
    now = bool(_NOW.search(text))
    counted = [h for h in hits if h.counts]
    if category == RISK_TO_SELF:
        # Any sign of suicidal thinking is at least medium; a plan or a time makes it high.
        if now or _PLAN.search(text):
            return "high"
        return "medium"
    lethal = bool(_LETHAL.search(text))
    threatened = any(
        h.rule.name in {"threat_to_me", "violence_to_me", "weapon_on_me", "afraid_at_home"}
        for h in counted
    )
    if category in {RISK_TO_OTHERS, DOMESTIC_ABUSE}:
        if (now and (lethal or threatened)) or (lethal and threatened):
            return "high"
        if _PAST.search(text) and not now:
            return "low"
        return "medium" if counted or score >= 0.7 else "low"
    if category == EXPLOITATION:
        return "high" if now and (lethal or threatened) else "medium"
    if category == CRIME_INFORMATION:
        return "medium" if lethal else "low"
    return "low"
