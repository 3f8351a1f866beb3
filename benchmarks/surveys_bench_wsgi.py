"""The portal without the safeguarding screener, to measure the consultation code on its own.

Used by `benchmarks/submit_load.py --app surveys-only`; never for serving real traffic.
"""

from __future__ import annotations

from portal import create_app

app = create_app()
# The screener (nlp) loads language models in every worker; take it out of this measurement.
app.extensions.pop("answer_screener", None)
for funcs in app.before_request_funcs.values():
    funcs[:] = [f for f in funcs if getattr(f, "__name__", "") != "_warm_screener_once"]
