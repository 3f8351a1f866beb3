"""Plain dataclasses for what the engine takes and returns, serialisable to JSON-ready dicts."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

AnswerId = str | int


@dataclass(frozen=True)
class Answer:
    """One free-text answer to one question; `area` is the district or borough."""

    id: AnswerId
    text: str | None
    area: str | None = None


@dataclass
class Quote:
    """A representative answer, redacted."""

    answer_id: AnswerId
    text: str
    area: str | None = None


@dataclass
class AreaRepresentation:
    """How much more or less often an area's answers fall in a theme than elsewhere."""

    area: str
    count: int
    area_total: int
    share: float  # of the area's assigned answers
    share_elsewhere: float
    ratio: float | None  # share / share_elsewhere (None when nothing to compare with)
    test: str  # "chi-square" or "fisher"
    p_value: float
    direction: str  # "over", "under" or "as expected" (at p < 0.05)


@dataclass
class Theme:
    """A group of answers with its label and evidence."""

    id: int
    label: str
    description: str
    keywords: list[str]
    key_phrases: list[str]
    size: int
    is_other: bool = False
    is_near_empty: bool = False
    is_campaign: bool = False
    codeframe_name: str | None = None  # set when the theme came from the codeframe
    campaign_of: int | None = None  # for a campaign: the theme its wording belongs to
    quotes: list[Quote] = field(default_factory=list)
    quotes_by_area: dict[str, list[Quote]] = field(default_factory=dict)
    counts_by_area: dict[str, int] = field(default_factory=dict)
    keywords_by_area: dict[str, list[str]] = field(default_factory=dict)
    representation: list[AreaRepresentation] = field(default_factory=list)


@dataclass
class Assignment:
    """The theme given to one answer."""

    answer_id: AnswerId
    theme_id: int
    area: str | None
    text_redacted: str
    probability: float  # cosine similarity to the theme centre (1.0 for rule-based groups)
    is_outlier: bool = False  # far from every cluster: placed by outlier reduction
    near_empty: bool = False
    campaign_id: int | None = None  # the campaign theme's id, for copy-paste answers
    language: str = "en"


@dataclass
class SetAside:
    """An answer kept out of the themes (not in English)."""

    answer_id: AnswerId
    area: str | None
    language: str
    reason: str = "not English"


@dataclass
class Quality:
    """Numbers a reviewer can check a run by."""

    theme_count: int  # reviewable themes (excluding near-empty, campaigns and "other")
    unassigned_share: float  # share of English answers in "other"
    outlier_share: float  # share placed by outlier reduction
    stability_ari: float | None = None  # ARI between the run and a re-clustering, seed + 1
    stability_method: str | None = None


@dataclass
class RunInfo:
    """What produced a result, for reproducibility."""

    engine_version: str
    seed: int
    models: dict[str, str]
    parameters: dict[str, Any]
    timings: dict[str, float]
    counts: dict[str, int]
    quality: Quality
    started_at: str


@dataclass
class AnalysisResult:
    """Themes, one assignment per English answer, the answers set aside, and the run record."""

    themes: list[Theme]
    assignments: list[Assignment]
    set_aside: list[SetAside]
    run: RunInfo
    areas: list[str] = field(default_factory=list)

    @property
    def set_aside_count(self) -> int:
        """How many answers were set aside."""
        return len(self.set_aside)

    def theme(self, theme_id: int) -> Theme:
        """The theme with this id."""
        for t in self.themes:
            if t.id == theme_id:
                return t
        raise KeyError(theme_id)

    def theme_of(self) -> dict[AnswerId, int]:
        """Answer id -> theme id."""
        return {a.answer_id: a.theme_id for a in self.assignments}

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict of plain values."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AnalysisResult:
        """Rebuild a result from `to_dict` output (e.g. after a JSON round trip)."""

        def theme(d: dict[str, Any]) -> Theme:
            d = dict(d)
            d["quotes"] = [Quote(**q) for q in d.get("quotes", [])]
            d["quotes_by_area"] = {
                a: [Quote(**q) for q in qs] for a, qs in d.get("quotes_by_area", {}).items()
            }
            d["representation"] = [AreaRepresentation(**r) for r in d.get("representation", [])]
            return Theme(**d)

        run = dict(data["run"])
        run["quality"] = Quality(**run["quality"])
        return cls(
            themes=[theme(t) for t in data["themes"]],
            assignments=[Assignment(**a) for a in data["assignments"]],
            set_aside=[SetAside(**s) for s in data["set_aside"]],
            run=RunInfo(**run),
            areas=list(data.get("areas", [])),
        )
