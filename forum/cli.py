"""`flask forum send-digests` and the matching background job."""

from __future__ import annotations

import click
from flask import Flask, current_app

from portal.jobs import JobContext, register_job

DIGEST_JOB = "forum.send_digests"


def send_digests_now(frequency: str) -> int:
    """Send the digests inside a request context so links in the emails are absolute."""
    from forum import notifications

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    with app.test_request_context("/", base_url=app.config["FORUM_BASE_URL"]):
        return notifications.send_digests(frequency)


@register_job(DIGEST_JOB)
def digest_job(context: JobContext) -> dict:
    """Background job: send one round of digests."""
    frequency = context.params.get("frequency", "daily")
    context.progress("sending")
    return {"sent": send_digests_now(frequency)}


def init_app(app: Flask) -> None:
    """Register the `forum` CLI group."""

    @app.cli.group("forum")
    def forum_cli() -> None:
        """Network forum tasks."""

    @forum_cli.command("send-digests")
    @click.option(
        "--frequency",
        type=click.Choice(["daily", "weekly"]),
        default="daily",
        show_default=True,
        help="Which members to send to (run daily and weekly from cron).",
    )
    def send_digests(frequency: str) -> None:
        """Email members their unread forum notifications."""
        count = send_digests_now(frequency)
        click.echo(f"Sent {count} {frequency} digest(s).")
