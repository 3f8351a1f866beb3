"""Signals other packages can listen to without surveys importing them."""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

#: Sent after a response is committed as submitted: ``send(app, response_id=...)``.
response_submitted = _signals.signal("surveys.response-submitted")
