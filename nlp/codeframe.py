"""Codeframes: themes staff expect before a run, or curated themes carried into the next run."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from nlp.results import AnalysisResult


@dataclass(frozen=True)
class CodeframeTheme:
    """An expected theme: a name, what it covers and some example words or phrases."""

    name: str
    description: str = ""
    examples: tuple[str, ...] = ()

    def seed_text(self) -> str:
        """The text embedded to find answers that belong to this theme."""
        parts = [self.name.strip()]
        if self.description.strip():
            parts.append(self.description.strip())
        if self.examples:
            parts.append(", ".join(e.strip() for e in self.examples if e.strip()))
        return ". ".join(parts)


@dataclass(frozen=True)
class Codeframe:
    """A list of expected themes used as zero-shot seeds; new themes are still discovered."""

    themes: tuple[CodeframeTheme, ...] = field(default_factory=tuple)

    def __len__(self) -> int:
        return len(self.themes)

    @classmethod
    def of(cls, themes: Iterable[CodeframeTheme | dict[str, Any]]) -> Codeframe:
        """Build from themes or plain dicts with name/description/examples."""
        out = []
        for t in themes:
            if isinstance(t, dict):
                t = CodeframeTheme(
                    name=str(t["name"]),
                    description=str(t.get("description") or ""),
                    examples=tuple(str(e) for e in t.get("examples") or ()),
                )
            if t.name.strip():
                out.append(t)
        return cls(tuple(out))

    @classmethod
    def from_result(cls, result: AnalysisResult, *, keep: Iterable[int] | None = None) -> Codeframe:
        """Carry a run's (curated) themes forward as the codeframe of the next run, so themes
        stay stable between runs. Near-empty, campaign and "other" themes are rule-based and
        are left out; `keep` limits it to some theme ids."""
        wanted = set(keep) if keep is not None else None
        themes = []
        for t in result.themes:
            if t.is_other or t.is_near_empty or t.is_campaign:
                continue
            if wanted is not None and t.id not in wanted:
                continue
            themes.append(
                CodeframeTheme(
                    name=t.codeframe_name or t.label,
                    description=t.description,
                    examples=tuple(t.key_phrases[:3] + t.keywords[:5]),
                )
            )
        return cls(tuple(themes))

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {"themes": [asdict(t) | {"examples": list(t.examples)} for t in self.themes]}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Codeframe:
        """Rebuild from `to_dict` output."""
        return cls.of(data.get("themes", []))
