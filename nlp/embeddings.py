"""Sentence embeddings with a per-answer cache, so a re-run only embeds new or changed answers.

Cache keys are `(model_name, sha256(normalised text))`. The web layer supplies its own
DB-backed cache by implementing the small `EmbeddingCache` protocol.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import numpy as np

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

# Answers are embedded in slices so progress can be reported and memory stays flat.
BATCH = 256


def text_hash(text: str) -> str:
    """The cache key for a (normalised) text."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@runtime_checkable
class EmbeddingCache(Protocol):
    """Stores one vector per (model name, text hash)."""

    def get_many(self, model_name: str, hashes: Sequence[str]) -> dict[str, np.ndarray]:
        """Return the cached vectors for those hashes that are present."""
        ...

    def put_many(self, model_name: str, items: dict[str, np.ndarray]) -> None:
        """Store vectors by text hash."""
        ...


@runtime_checkable
class RedactionCache(Protocol):
    """Optionally stores redacted texts by (redaction version, hash of the original), because
    on a re-run redaction would otherwise cost more than everything else together."""

    def get_redactions(self, version: str, hashes: Sequence[str]) -> dict[str, str]:
        """Return cached redacted texts for those hashes that are present."""
        ...

    def put_redactions(self, version: str, items: dict[str, str]) -> None:
        """Store redacted texts by hash of the original."""
        ...


class MemoryEmbeddingCache:
    """An in-process cache of vectors and redactions (tests, notebooks, one worker)."""

    def __init__(self) -> None:
        self._store: dict[tuple[str, str], np.ndarray] = {}
        self._redactions: dict[tuple[str, str], str] = {}

    def get_many(self, model_name: str, hashes: Sequence[str]) -> dict[str, np.ndarray]:
        """Return the cached vectors for those hashes that are present."""
        found = {}
        for h in hashes:
            vector = self._store.get((model_name, h))
            if vector is not None:
                found[h] = vector
        return found

    def put_many(self, model_name: str, items: dict[str, np.ndarray]) -> None:
        """Store vectors by text hash."""
        for h, vector in items.items():
            self._store[(model_name, h)] = np.asarray(vector, dtype=np.float32)

    def get_redactions(self, version: str, hashes: Sequence[str]) -> dict[str, str]:
        """Return cached redacted texts for those hashes that are present."""
        return {
            h: self._redactions[(version, h)] for h in hashes if (version, h) in self._redactions
        }

    def put_redactions(self, version: str, items: dict[str, str]) -> None:
        """Store redacted texts by hash of the original."""
        for h, text in items.items():
            self._redactions[(version, h)] = text

    def __len__(self) -> int:
        return len(self._store)


class SQLiteEmbeddingCache:
    """A file-backed cache of vectors (float32 blobs) and redactions, in one SQLite file."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self._lock = threading.Lock()
        with self._connect() as con:
            con.execute(
                "CREATE TABLE IF NOT EXISTS embedding ("
                " model TEXT NOT NULL, hash TEXT NOT NULL, vector BLOB NOT NULL,"
                " PRIMARY KEY (model, hash))"
            )
            con.execute(
                "CREATE TABLE IF NOT EXISTS redaction ("
                " version TEXT NOT NULL, hash TEXT NOT NULL, redacted TEXT NOT NULL,"
                " PRIMARY KEY (version, hash))"
            )

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=30)

    def get_many(self, model_name: str, hashes: Sequence[str]) -> dict[str, np.ndarray]:
        """Return the cached vectors for those hashes that are present."""
        found: dict[str, np.ndarray] = {}
        unique = list(dict.fromkeys(hashes))
        with self._lock, self._connect() as con:
            # SQLite limits bound parameters; 500 per query stays well inside it.
            for start in range(0, len(unique), 500):
                chunk = unique[start : start + 500]
                marks = ",".join("?" * len(chunk))
                rows = con.execute(
                    f"SELECT hash, vector FROM embedding WHERE model = ? AND hash IN ({marks})",  # noqa: S608
                    [model_name, *chunk],
                )
                for h, blob in rows:
                    found[h] = np.frombuffer(blob, dtype=np.float32)
        return found

    def put_many(self, model_name: str, items: dict[str, np.ndarray]) -> None:
        """Store vectors by text hash."""
        rows = [
            (model_name, h, np.asarray(v, dtype=np.float32).tobytes()) for h, v in items.items()
        ]
        with self._lock, self._connect() as con:
            con.executemany("INSERT OR REPLACE INTO embedding VALUES (?, ?, ?)", rows)

    def get_redactions(self, version: str, hashes: Sequence[str]) -> dict[str, str]:
        """Return cached redacted texts for those hashes that are present."""
        found: dict[str, str] = {}
        unique = list(dict.fromkeys(hashes))
        with self._lock, self._connect() as con:
            for start in range(0, len(unique), 500):
                chunk = unique[start : start + 500]
                marks = ",".join("?" * len(chunk))
                rows = con.execute(
                    f"SELECT hash, redacted FROM redaction WHERE version = ? AND hash IN ({marks})",  # noqa: S608
                    [version, *chunk],
                )
                found.update(rows)
        return found

    def put_redactions(self, version: str, items: dict[str, str]) -> None:
        """Store redacted texts by hash of the original."""
        with self._lock, self._connect() as con:
            con.executemany(
                "INSERT OR REPLACE INTO redaction VALUES (?, ?, ?)",
                [(version, h, t) for h, t in items.items()],
            )


def embed_texts(
    texts: Sequence[str],
    model: SentenceTransformer,
    model_name: str,
    *,
    cache: EmbeddingCache | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> tuple[np.ndarray, int]:
    """Embed texts (unit-normalised float32), reusing cached vectors; returns (matrix, n_new)."""
    hashes = [text_hash(t) for t in texts]
    cached = cache.get_many(model_name, hashes) if cache is not None else {}
    todo: dict[str, str] = {}
    for h, t in zip(hashes, texts, strict=True):
        if h not in cached and h not in todo:
            todo[h] = t
    fresh: dict[str, np.ndarray] = {}
    # Longest first, so each batch pads to similar lengths (sentence-transformers sorts only
    # within one encode call, and we call it per slice to report progress).
    keys = sorted(todo, key=lambda h: -len(todo[h]))
    total = len(keys)
    if progress:
        progress(0, total)
    for start in range(0, total, BATCH):
        chunk = keys[start : start + BATCH]
        vectors = model.encode(
            [todo[h] for h in chunk],
            batch_size=64,
            show_progress_bar=False,
            convert_to_numpy=True,
            normalize_embeddings=True,
        )
        fresh.update(zip(chunk, vectors.astype(np.float32), strict=True))
        if progress:
            progress(min(start + BATCH, total), total)
    if cache is not None and fresh:
        cache.put_many(model_name, fresh)
    sample = next(iter(fresh.values()), None)
    if sample is None:
        sample = next(iter(cached.values()), None)
    dim = len(sample) if sample is not None else 384
    matrix = np.zeros((len(texts), dim), dtype=np.float32)
    for i, h in enumerate(hashes):
        matrix[i] = fresh[h] if h in fresh else cached[h]
    return matrix, total
