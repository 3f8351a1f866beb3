"""Theme analysis: a framework-free engine (redaction, embeddings, theming, evaluation).

The web layer (jobs and the staff review workbench) lives in `nlp.web` and is the only part
that imports Flask. Importing `nlp` is cheap: torch, BERTopic and spaCy load on first use.

    from nlp import Answer, analyse
    result = analyse([Answer(id=1, text="More police patrols", area="Rugby"), ...], seed=42)
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

# Public name -> module; resolved lazily so the web process does not import torch at start-up.
_EXPORTS = {
    "analyse": "nlp.engine",
    "EngineConfig": "nlp.engine",
    "TooFewAnswers": "nlp.engine",
    "Answer": "nlp.results",
    "AnalysisResult": "nlp.results",
    "Theme": "nlp.results",
    "Assignment": "nlp.results",
    "SetAside": "nlp.results",
    "Quote": "nlp.results",
    "AreaRepresentation": "nlp.results",
    "Quality": "nlp.results",
    "RunInfo": "nlp.results",
    "Codeframe": "nlp.codeframe",
    "CodeframeTheme": "nlp.codeframe",
    "ThemingConfig": "nlp.theming",
    "EmbeddingCache": "nlp.embeddings",
    "RedactionCache": "nlp.embeddings",
    "MemoryEmbeddingCache": "nlp.embeddings",
    "SQLiteEmbeddingCache": "nlp.embeddings",
    "redact": "nlp.redaction",
    "redact_many": "nlp.redaction",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'nlp' has no attribute {name!r}")
