"""View guards for forum members (moderator and staff blueprints use portal.auth.roles)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import abort, current_app, request
from flask_login import current_user, login_required

from forum.services import is_active_member


def member_required(view: Callable) -> Callable:
    """Signed in, with a role, a confirmed email address and an active account."""

    @wraps(view)
    @login_required
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        if not is_active_member(current_user):
            abort(403)
        return view(*args, **kwargs)

    return wrapped


def user_key() -> str:
    """Rate-limit key: the account when signed in, else the address."""
    if getattr(current_user, "is_authenticated", False):
        return f"user:{current_user.id}"
    return request.remote_addr or "unknown"


def post_limit() -> str:
    """The configured posting rate limit."""
    return current_app.config["FORUM_POST_RATE_LIMIT"]


def report_limit() -> str:
    """The configured reporting rate limit."""
    return current_app.config["FORUM_REPORT_RATE_LIMIT"]
