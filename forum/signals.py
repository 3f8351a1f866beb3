"""Signals other packages can listen to without importing forum internals."""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# Sent after a post is committed: sender is the app; kwargs post_id, topic_id, author_id, text.
post_created = _signals.signal("forum-post-created")
