"""Voluntary and community sector network: organisations, directory, forum, moderation."""

from __future__ import annotations

import copy

from flask import Flask
from flask_babel import lazy_gettext as _l

from forum.views import bp

__all__ = ["bp", "init_app"]

DEFAULTS: dict[str, object] = {
    "FORUM_TOPICS_PER_PAGE": 20,
    "FORUM_POSTS_PER_PAGE": 20,
    "FORUM_SEARCH_PER_PAGE": 20,
    "FORUM_DIRECTORY_PER_PAGE": 20,
    "FORUM_EVENTS_PER_PAGE": 20,
    # A post hides itself for review once this many different members have reported it.
    "FORUM_AUTO_HIDE_REPORTS": 3,
    # Flask-Limiter strings, counted per account.
    "FORUM_POST_RATE_LIMIT": "10 per minute; 60 per hour",
    "FORUM_REPORT_RATE_LIMIT": "10 per hour",
    # Limits by trust level; members start at 0 and move up with approved posts.
    "FORUM_TRUST_LEVELS": {
        0: {"hold_posts": True, "max_links": 2, "seconds_between_posts": 30},
        1: {"hold_posts": False, "max_links": 5, "seconds_between_posts": 10},
        2: {"hold_posts": False, "max_links": 20, "seconds_between_posts": 0},
    },
    # Approved posts needed to reach each trust level.
    "FORUM_TRUST_PROMOTION": {1: 3, 2: 20},
    # Used for links in emails sent outside a web request (the digest job).
    "FORUM_BASE_URL": "http://127.0.0.1:5000",
}


def init_app(app: Flask) -> None:
    """Register the forum, moderation and staff blueprints, settings, CLI, jobs and demo data."""
    from forum import cli, demo, directory_views, event_views, moderation_views, staff_views  # noqa: F401 - routes on bp
    from forum.markdown import render
    from portal.cli import register_demo_loader
    from portal.staff import add_staff_link

    for key, value in DEFAULTS.items():
        app.config.setdefault(key, copy.deepcopy(value))
    app.register_blueprint(bp)
    app.register_blueprint(moderation_views.bp)
    app.register_blueprint(staff_views.bp)
    app.add_template_filter(render, "markdown")
    add_staff_link(
        app,
        _l("Network organisations"),
        "forum_staff.organisation_list",
        _l("Approve organisations for the directory and the network forum."),
        ("staff",),
    )
    add_staff_link(
        app,
        _l("Forum categories"),
        "forum_staff.categories",
        _l("Add categories and make them private to approved members."),
        ("staff",),
    )
    cli.init_app(app)
    register_demo_loader(app, demo.load_demo)
