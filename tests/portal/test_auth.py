"""Accounts: register, confirm, sign in with a second factor, reset, change, sign out."""

from __future__ import annotations

import re
from datetime import timedelta

import pyotp
from flask import Flask

from portal.auth import services
from portal.auth.models import User
from portal.clock import utcnow
from portal.extensions import db
from tests.conftest import PASSWORD, csrf_token_from, submit_form

LINK_RE = re.compile(r"http://localhost(/account/[\w/-]+/[\w.\-]+)")


def _link_from(message) -> str:
    match = LINK_RE.search(message.body)
    assert match, message.body
    return match.group(1)


def test_register_confirm_and_sign_in(client, outbox) -> None:
    response = submit_form(
        client,
        "/account/register",
        {
            "name": "Asha Patel",
            "email": "Asha@Example.org",
            "password": PASSWORD,
            "confirm": PASSWORD,
        },
    )
    assert response.status_code == 302
    assert response.location.endswith("/account/check-your-email")
    user = services.find_user_by_email("asha@example.org")
    assert user is not None and user.email_confirmed_at is None
    assert user.role_names == {"member"}
    assert user.password_hash.startswith("$argon2id$")

    # cannot sign in before confirming; a fresh link is sent
    response = submit_form(
        client, "/account/sign-in", {"email": "asha@example.org", "password": PASSWORD}
    )
    assert response.status_code == 200
    assert "Confirm your email address" in response.get_data(as_text=True)

    confirm_link = _link_from(outbox[0])
    assert client.get(confirm_link).status_code == 302
    assert services.find_user_by_email("asha@example.org").email_confirmed_at is not None

    response = submit_form(
        client, "/account/sign-in", {"email": "asha@example.org", "password": PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/account/").status_code == 200


def test_register_errors_keep_what_was_typed(client) -> None:
    response = submit_form(
        client,
        "/account/register",
        {
            "name": "Zoë Ł'Étoile 🙂",
            "email": "not-an-email",
            "password": "short",
            "confirm": "x",
        },
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert 'href="#email"' in html
    assert "Zoë Ł&#39;Étoile 🙂" in html
    assert 'value="not-an-email"' in html
    assert "Password must be 10 characters or more" in html
    assert html.count("<title>Error:") == 1


def test_register_with_existing_email_does_not_reveal_it(client, auth, outbox) -> None:
    auth.create("taken@example.org")
    response = submit_form(
        client,
        "/account/register",
        {
            "name": "Someone",
            "email": "taken@example.org",
            "password": PASSWORD,
            "confirm": PASSWORD,
        },
    )
    assert response.location.endswith("/account/check-your-email")
    assert "already have an account" in outbox[0].subject


def test_odd_input_never_500s(client) -> None:
    for data in [
        {"email": "a" * 5000 + "@example.org", "password": "p" * 10000},
        {"email": "\u202e\u0000\ufeff@例え.テスト", "password": "\ud7ff"},
        {},
    ]:
        response = submit_form(client, "/account/sign-in", data)
        assert response.status_code == 200
        assert "govuk-error-summary" in response.get_data(as_text=True)


def test_wrong_password_is_a_generic_error(client, auth) -> None:
    auth.create("member@example.org")
    response = auth.login("member@example.org", "wrong password here")
    html = response.get_data(as_text=True)
    assert "Enter a correct email address and password" in html
    assert 'value="member@example.org"' in html
    unknown = auth.login("nobody@example.org", "wrong password here")
    assert "Enter a correct email address and password" in unknown.get_data(as_text=True)


def test_account_locks_after_repeated_failures(app: Flask, client, auth) -> None:
    auth.create("member@example.org")
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        auth.login("member@example.org", "wrong password here")
    response = auth.login("member@example.org", PASSWORD)  # right password, but locked
    assert "Too many failed attempts" in response.get_data(as_text=True)
    user = services.find_user_by_email("member@example.org")
    assert user.locked_until is not None and user.locked_until > utcnow()


def test_sign_in_is_rate_limited(app: Flask, client) -> None:
    page = client.get("/account/sign-in")
    token = csrf_token_from(page)
    statuses = [
        client.post(
            "/account/sign-in",
            data={"csrf_token": token, "email": f"x{i}@example.org", "password": "whatever12345"},
        ).status_code
        for i in range(12)
    ]
    assert 429 in statuses
    limited = client.post("/account/sign-in", data={"csrf_token": token})
    assert limited.status_code == 429
    assert "too many attempts" in limited.get_data(as_text=True)


def test_post_without_csrf_token_is_refused(client, auth) -> None:
    auth.create("member@example.org")
    response = client.post(
        "/account/sign-in", data={"email": "member@example.org", "password": PASSWORD}
    )
    assert response.status_code == 400
    assert "Go back, reload the page" in response.get_data(as_text=True)


def test_staff_must_set_up_second_factor(client, auth) -> None:
    auth.create("analyst@example.org", ("analyst",), with_totp=False)
    response = submit_form(
        client, "/account/sign-in", {"email": "analyst@example.org", "password": PASSWORD}
    )
    assert response.location.endswith("/account/two-factor/set-up")
    assert client.get("/staff/").status_code == 302  # not signed in yet
    page = client.get("/account/two-factor/set-up")
    html = page.get_data(as_text=True)
    assert "<svg" in html
    secret = re.search(r'class="portal-secret">([A-Z2-7 ]+)<', html).group(1).replace(" ", "")
    wrong = submit_form(client, "/account/two-factor/set-up", {"code": "000000"})
    assert "not correct" in wrong.get_data(as_text=True)
    response = submit_form(client, "/account/two-factor/set-up", {"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 302
    assert client.get("/staff/").status_code == 200
    assert services.find_user_by_email("analyst@example.org").totp_secret == secret


def test_second_factor_code_cannot_be_replayed(client, auth) -> None:
    user = auth.create("staff@example.org", ("staff",))
    code = pyotp.TOTP(user.totp_secret).now()
    submit_form(client, "/account/sign-in", {"email": "staff@example.org", "password": PASSWORD})
    assert submit_form(client, "/account/two-factor", {"code": code}).status_code == 302
    auth.logout()
    submit_form(client, "/account/sign-in", {"email": "staff@example.org", "password": PASSWORD})
    replay = submit_form(client, "/account/two-factor", {"code": code})
    assert replay.status_code == 200
    assert "not correct" in replay.get_data(as_text=True)


def test_sign_out_ends_the_session_everywhere(app: Flask, client, auth) -> None:
    auth.as_role("member", email="member@example.org")
    other = app.test_client()
    AuthHelper = type(auth)
    AuthHelper(app, other).login("member@example.org")
    assert other.get("/account/").status_code == 200
    auth.logout()
    assert client.get("/account/").status_code == 302
    assert other.get("/account/").status_code == 302  # the other device is signed out too


def test_change_password_signs_out_other_sessions(app: Flask, client, auth) -> None:
    auth.as_role("member", email="member@example.org")
    other = app.test_client()
    type(auth)(app, other).login("member@example.org")
    new_password = "a different long passphrase"
    response = submit_form(
        client,
        "/account/change-password",
        {
            "current": PASSWORD,
            "password": new_password,
            "confirm": new_password,
        },
    )
    assert response.status_code == 302
    assert client.get("/account/").status_code == 200  # this session stays
    assert other.get("/account/").status_code == 302
    assert auth.login("member@example.org", new_password).status_code == 302


def test_change_password_wrong_current(client, auth) -> None:
    auth.as_role("member", email="member@example.org")
    response = submit_form(
        client,
        "/account/change-password",
        {
            "current": "not my password",
            "password": "new long password1",
            "confirm": "x",
        },
    )
    html = response.get_data(as_text=True)
    assert "Your current password is not correct" in html or "Passwords must match" in html
    assert "govuk-error-summary" in html


def test_password_reset_link_works_once(client, auth, outbox) -> None:
    auth.create("member@example.org")
    response = submit_form(client, "/account/forgotten-password", {"email": "member@example.org"})
    assert response.location.endswith("/account/check-your-email")
    link = _link_from(outbox[0])
    new_password = "brand new passphrase 42"
    response = submit_form(client, link, {"password": new_password, "confirm": new_password})
    assert response.status_code == 302
    assert client.get(link).status_code == 400  # used: tied to the old password
    assert auth.login("member@example.org", new_password).status_code == 302


def test_forgotten_password_for_unknown_email_sends_nothing(client, outbox) -> None:
    response = submit_form(client, "/account/forgotten-password", {"email": "ghost@example.org"})
    assert response.location.endswith("/account/check-your-email")
    assert outbox == []


def test_staff_idle_timeout(app: Flask, client, auth) -> None:
    auth.as_role("staff")
    assert client.get("/staff/").status_code == 200
    with client.session_transaction() as session:
        session["last_seen"] -= (app.config["STAFF_IDLE_TIMEOUT_MINUTES"] + 1) * 60
    response = client.get("/staff/")
    assert response.status_code == 302
    assert "/account/sign-in" in response.location
    assert client.get("/staff/").status_code == 302


def test_members_are_not_timed_out_like_staff(app: Flask, client, auth) -> None:
    auth.as_role("member")
    with client.session_transaction() as session:
        session["last_seen"] -= (app.config["STAFF_IDLE_TIMEOUT_MINUTES"] + 1) * 60
    assert client.get("/account/").status_code == 200


def test_open_redirects_are_refused(client, auth) -> None:
    auth.create("member@example.org")
    response = submit_form(
        client,
        "/account/sign-in?next=https://evil.example/",
        {"email": "member@example.org", "password": PASSWORD},
    )
    assert response.location == "/account/"


def test_users_create_cli(runner, app: Flask) -> None:
    result = runner.invoke(
        args=["users", "create", "lead@example.org", "--role", "admin", "--password-stdin"],
        input=PASSWORD + "\n",
    )
    assert result.exit_code == 0, result.output
    user = services.find_user_by_email("lead@example.org")
    assert user.role_names == {"admin"}
    assert user.password_hash.startswith("$argon2id$")
    again = runner.invoke(
        args=["users", "create", "lead@example.org", "--role", "admin", "--password-stdin"],
        input=PASSWORD + "\n",
    )
    assert again.exit_code != 0
    assert "already exists" in again.output
    weak = runner.invoke(
        args=["users", "create", "weak@example.org", "--role", "staff", "--password-stdin"],
        input="short\n",
    )
    assert weak.exit_code != 0
    assert services.find_user_by_email("weak@example.org") is None


def test_unlock_after_lockout_period(app: Flask, auth) -> None:
    user = auth.create("member@example.org")
    user.locked_until = utcnow() - timedelta(minutes=1)
    db.session.commit()
    assert services.check_credentials("member@example.org", PASSWORD).user is not None


def test_admin_changes_roles_with_audit(client, auth) -> None:
    auth.as_role("admin")
    target: User = auth.create("helper@example.org")
    response = submit_form(client, f"/staff/users/{target.id}", {"roles": ["member", "moderator"]})
    assert response.status_code == 302
    db.session.refresh(target)
    assert target.role_names == {"member", "moderator"}
    from sqlalchemy import select

    from portal.auth.models import AuditEvent

    actions = db.session.execute(select(AuditEvent.action)).scalars().all()
    assert "account.roles_changed" in actions


ODD_VALUES = ["x" * 20000, "\u202e\u0000\ufeff\U0001f600 Zoë", "\ud7ff\uffff", ""]


def test_no_account_form_500s_on_odd_input(client) -> None:
    for url in ["/account/sign-in", "/account/register", "/account/forgotten-password"]:
        for value in ODD_VALUES:
            data = {name: value for name in ("name", "email", "password", "confirm")}
            response = submit_form(client, url, data)
            assert response.status_code in {200, 302}, (url, response.status_code)
            if response.status_code == 200:
                assert "govuk-error-summary" in response.get_data(as_text=True)
