"""Role checks for views and whole blueprints."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort, redirect, request, url_for
from flask_login import current_user
from werkzeug.wrappers import Response


def refuse_unless(*roles: str) -> Response | None:
    """Send anonymous people to sign in and refuse accounts without one of the roles.

    Returns a response to short-circuit the request, or None to let it through.
    """
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
    if not current_user.has_role(*roles):
        abort(403)
    return None


def protect_blueprint(blueprint: Any, *roles: str) -> None:
    """Require one of the roles on every route of a blueprint (checked before the view runs)."""
    blueprint.before_request(lambda: refuse_unless(*roles))
    blueprint.required_roles = frozenset(roles)


def role_required(*roles: str) -> Callable:
    """Decorator: require one of the roles on a single view."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            refusal = refuse_unless(*roles)
            if refusal is not None:
                return refusal
            return view(*args, **kwargs)

        wrapped.required_roles = frozenset(roles)  # type: ignore[attr-defined]
        return wrapped

    return decorator
