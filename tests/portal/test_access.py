"""Walk the URL map: every protected route refuses anonymous people and the wrong roles."""

from __future__ import annotations

import re

from flask import Flask

from portal.auth.models import ROLES

PROTECTED_PREFIXES = ("/staff", "/moderation", "/safeguarding", "/admin")


def _required_roles(app: Flask, endpoint: str) -> frozenset[str] | None:
    view = app.view_functions[endpoint]
    roles = getattr(view, "required_roles", None)
    blueprint_name = endpoint.rsplit(".", 1)[0] if "." in endpoint else None
    blueprint = app.blueprints.get(blueprint_name) if blueprint_name else None
    blueprint_roles = getattr(blueprint, "required_roles", None)
    if roles and blueprint_roles:
        return frozenset(roles) & frozenset(blueprint_roles) or frozenset(roles)
    return roles or blueprint_roles


def _concrete_url(rule) -> str:
    return re.sub(r"<(?:[^:>]+:)?([^>]+)>", lambda m: "1", rule.rule)


def _protected_rules(app: Flask):
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(PROTECTED_PREFIXES):
            yield rule


def test_every_protected_route_declares_roles(app: Flask) -> None:
    unprotected = [
        rule.rule for rule in _protected_rules(app) if not _required_roles(app, rule.endpoint)
    ]
    assert unprotected == []
    assert any(True for _ in _protected_rules(app))


def test_anonymous_people_are_sent_to_sign_in(app: Flask, client) -> None:
    checked = 0
    for rule in _protected_rules(app):
        url = _concrete_url(rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = client.open(url, method=method)
            if method == "POST" and response.status_code == 400:
                # CSRF refuses before the role check; still nothing is done.
                continue
            assert response.status_code == 302, (method, url, response.status_code)
            assert "/account/sign-in" in response.location, (method, url)
            checked += 1
    assert checked > 0


def test_wrong_roles_are_refused(app: Flask, client, auth) -> None:
    rules = list(_protected_rules(app))
    for role in ROLES:
        if role == "admin":
            continue  # admins hold every role
        auth.as_role(role, email=f"walk-{role}@example.org")
        for rule in rules:
            required = _required_roles(app, rule.endpoint)
            if role in required:
                continue
            url = _concrete_url(rule)
            response = client.get(url) if "GET" in rule.methods else client.post(url)
            if "GET" not in rule.methods and response.status_code == 400:
                continue  # refused by CSRF before the role check
            assert response.status_code == 403, (role, url, response.status_code)
        auth.logout()


def test_admin_reaches_every_staff_page(app: Flask, client, auth) -> None:
    auth.as_role("admin")
    for rule in _protected_rules(app):
        if "GET" not in rule.methods or "<" in rule.rule:
            continue
        response = client.get(rule.rule)
        assert response.status_code in {200, 302}, (rule.rule, response.status_code)
