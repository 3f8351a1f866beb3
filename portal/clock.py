"""One notion of 'now' for the whole portal: naive UTC, identical on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    """Current time as naive UTC (stored without a zone so both databases agree)."""
    return datetime.now(UTC).replace(tzinfo=None)
