"""`flask demo load`: realistic demo data, contributed by each domain package."""

from __future__ import annotations

import secrets
from collections.abc import Callable

import click
from flask import Flask
from sqlalchemy import func, select

from portal.areas import services as areas
from portal.auth import services as accounts
from portal.auth.models import User
from portal.extensions import db

DemoLoader = Callable[[], str]
DEMO_ACCOUNTS = [
    ("admin@demo.safer-warwickshire.example", "Demo Admin", ["admin"]),
    ("analyst@demo.safer-warwickshire.example", "Demo Analyst", ["analyst"]),
    ("moderator@demo.safer-warwickshire.example", "Demo Moderator", ["moderator"]),
    ("member@demo.safer-warwickshire.example", "Demo Member", ["member"]),
]


def register_demo_loader(app: Flask, loader: DemoLoader) -> None:
    """Let a domain package add its part of the demo data (runs after accounts exist)."""
    app.extensions.setdefault("demo_loaders", []).append(loader)


def load_demo_accounts() -> list[tuple[str, str]]:
    """Create one account per role with a fresh random password (printed once, never stored)."""
    created = []
    for email, name, roles in DEMO_ACCOUNTS:
        if accounts.find_user_by_email(email):
            continue
        password = secrets.token_urlsafe(12)
        accounts.create_user(email, password, roles, name=name, confirmed=True)
        created.append((email, password))
    db.session.commit()
    return created


def init_app(app: Flask) -> None:
    """Register the `demo` CLI group."""

    @app.cli.group("demo")
    def demo() -> None:
        """Demo data for trying the portal locally."""

    @demo.command("load")
    @click.option("--if-empty", is_flag=True, help="Do nothing if the database has accounts.")
    def load(if_empty: bool) -> None:
        """Load demo consultations, responses, forum content and accounts."""
        if if_empty and db.session.execute(select(func.count(User.id))).scalar_one():
            click.echo("Database already has data; demo not loaded.")
            return
        areas.ensure_districts()
        db.session.commit()
        created = load_demo_accounts()
        for loader in app.extensions.get("demo_loaders", []):
            click.echo(loader())
        if created:
            click.echo("Demo accounts (staff roles set up an authenticator app at first sign-in):")
            for email, password in created:
                click.echo(f"  {email}  password: {password}")
