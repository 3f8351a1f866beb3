"""Reports, the moderation queue, sanctions with audit, trust levels, rate limits, screening."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forum import moderation, services
from forum.models import MemberProfile, Post, Report
from portal.auth.models import AuditEvent
from portal.extensions import db
from tests.conftest import submit_form
from tests.forum.conftest import category, start_topic, trust


def _first_post(topic) -> Post:
    return db.session.execute(
        select(Post).where(Post.topic_id == topic.id, Post.is_first.is_(True))
    ).scalar_one()


def _audit(action: str) -> list[AuditEvent]:
    return list(db.session.execute(select(AuditEvent).where(AuditEvent.action == action)).scalars())


def test_report_goes_to_queue_and_moderator_hides_then_restores(client, auth, other_member):
    topic = start_topic(other_member, body="Something nasty here")
    post = _first_post(topic)
    reporter = auth.as_role("member", email="reporter@example.org")
    trust(reporter)
    response = submit_form(
        client, f"/forum/p/{post.id}/report", {"reason": "abusive", "note": "Threatening"}
    )
    assert response.status_code == 302
    auth.logout()
    auth.as_role("moderator", email="mod@example.org")
    queue = client.get("/moderation/").get_data(as_text=True)
    assert "Something nasty here" in queue and "Threatening" in queue
    response = submit_form(
        client, f"/moderation/posts/{post.id}/hide", {"reason": "Breaks the rules"}
    )
    assert response.status_code == 302
    db.session.refresh(post)
    assert post.status == "hidden"
    assert _audit("forum.post_hidden")[0].note == "Breaks the rules"
    assert db.session.execute(select(Report.status)).scalar_one() == "resolved"
    auth.logout()
    assert client.get(f"/forum/t/{topic.id}").status_code == 404  # hidden first post hides topic
    auth.as_role("moderator", email="mod2@example.org")
    submit_form(client, f"/moderation/posts/{post.id}/restore", {"reason": "On appeal"})
    db.session.refresh(post)
    assert post.status == "visible"
    assert _audit("forum.post_restored")[0].note == "On appeal"


def test_hidden_reply_shows_placeholder_to_public(client, auth, other_member) -> None:
    topic = start_topic(other_member)
    reply = services.create_reply(other_member, topic, "Rude words")
    moderator = auth.create("mod@example.org", ("moderator",))
    moderation.hide_post(moderator, reply, "Rude")
    html = client.get(f"/forum/t/{topic.id}").get_data(as_text=True)
    assert "Rude words" not in html
    assert "This post has been hidden by a moderator." in html


def test_moderation_action_needs_reason(client, auth, other_member) -> None:
    post = _first_post(start_topic(other_member))
    auth.as_role("moderator", email="mod@example.org")
    response = submit_form(client, f"/moderation/posts/{post.id}/hide", {"reason": ""})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.get_data(as_text=True)
    db.session.refresh(post)
    assert post.status == "visible"


def test_auto_hide_after_reports_from_different_members(app, auth, other_member) -> None:
    app.config["FORUM_AUTO_HIDE_REPORTS"] = 2
    post = _first_post(start_topic(other_member))
    first = auth.create("r1@example.org")
    second = auth.create("r2@example.org")
    moderation.report_post(first, post, "spam")
    moderation.report_post(first, post, "abusive")  # the same member again does not count
    db.session.refresh(post)
    assert post.status == "visible"
    moderation.report_post(second, post, "spam")
    db.session.refresh(post)
    assert post.status == "hidden"
    assert len(_audit("forum.post_auto_hidden")) == 1
    items, _held = moderation.moderation_queue()
    assert [item.post.id for item in items] == [post.id]


@pytest.mark.parametrize("action", ["warn", "suspend", "ban"])
def test_sanctions_are_audited_with_reason(client, auth, other_member, action: str) -> None:
    auth.as_role("moderator", email="mod@example.org")
    response = submit_form(
        client,
        f"/moderation/members/{other_member.id}",
        {"action": action, "days": "3", "reason": f"Reason for {action}"},
    )
    assert response.status_code == 302
    event = _audit(f"forum.member_{action}")[0]
    assert event.note == f"Reason for {action}"
    assert event.subject == f"user:{other_member.id}"
    profile = db.session.get(MemberProfile, other_member.id)
    expected = {"warn": "active", "suspend": "suspended", "ban": "banned"}[action]
    assert profile.status == expected
    log = client.get("/moderation/log").get_data(as_text=True)
    assert f"Reason for {action}" in log


def test_suspended_and_banned_members_cannot_post(client, auth) -> None:
    member = auth.as_role("member", email="naughty@example.org")
    trust(member)
    moderator = auth.create("mod@example.org", ("moderator",))
    moderation.sanction_member(moderator, member, "suspend", "Cooling off", days=2)
    category()
    response = submit_form(client, "/forum/c/general/new", {"title": "Hello", "body": "Hi"})
    assert response.status_code == 200
    assert "suspended" in response.get_data(as_text=True)
    moderation.sanction_member(moderator, member, "ban", "Repeated abuse")
    response = submit_form(client, "/forum/c/general/new", {"title": "Hello", "body": "Hi"})
    assert "banned" in response.get_data(as_text=True)
    moderation.sanction_member(moderator, member, "reinstate", "Appeal upheld")
    response = submit_form(client, "/forum/c/general/new", {"title": "Hello", "body": "Hi"})
    assert response.status_code == 302


def test_new_members_first_posts_are_held_until_approved(client, auth, other_member) -> None:
    newcomer = auth.as_role("member", email="new@example.org")
    category()
    response = submit_form(
        client, "/forum/c/general/new", {"title": "My first topic", "body": "Hello all"}
    )
    assert response.status_code == 302
    topic = db.session.execute(select(services.Topic)).scalar_one()
    assert topic.status == "held"
    # the author sees it; the public does not
    assert "Awaiting approval" in client.get(f"/forum/t/{topic.id}").get_data(as_text=True)
    auth.logout()
    assert client.get(f"/forum/t/{topic.id}").status_code == 404
    assert "My first topic" not in client.get("/forum/c/general").get_data(as_text=True)
    auth.as_role("moderator", email="mod@example.org")
    assert "Hello all" in client.get("/moderation/").get_data(as_text=True)
    post = _first_post(topic)
    submit_form(client, f"/moderation/posts/{post.id}/approve", {"reason": "Fine"})
    auth.logout()
    assert client.get(f"/forum/t/{topic.id}").status_code == 200
    assert db.session.get(MemberProfile, newcomer.id).approved_posts == 1


def test_trust_level_rises_with_approved_posts(app, auth) -> None:
    app.config["FORUM_TRUST_PROMOTION"] = {1: 2, 2: 50}
    for level in (0, 1):
        app.config["FORUM_TRUST_LEVELS"][level]["seconds_between_posts"] = 0
    newcomer = auth.create("new@example.org")
    moderator = auth.create("mod@example.org", ("moderator",))
    topic = start_topic(newcomer)
    reply = services.create_reply(newcomer, topic, "Second post")
    assert reply.status == "held"
    moderation.approve_post(moderator, _first_post(topic))
    moderation.approve_post(moderator, reply)
    assert db.session.get(MemberProfile, newcomer.id).trust_level == 1
    later = services.create_reply(newcomer, topic, "Third post")
    assert later.status == "visible"
    assert _audit("forum.trust_level_raised")


def test_new_members_link_limit(client, auth) -> None:
    auth.as_role("member", email="linky@example.org")
    category()
    body = " ".join(f"https://site{n}.example" for n in range(5))
    response = submit_form(client, "/forum/c/general/new", {"title": "Links", "body": body})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "up to 2 links" in html
    assert "https://site4.example" in html  # what they typed is kept


def test_new_members_post_slower(app, auth) -> None:
    newcomer = auth.create("slow@example.org")
    topic = start_topic(newcomer)
    with pytest.raises(services.ForumRefusal, match="once every 30 seconds"):
        services.create_reply(newcomer, topic, "Too quick")


def test_posting_rate_limit_gives_styled_429(app, client, member) -> None:
    app.config["FORUM_POST_RATE_LIMIT"] = "2 per minute"
    category()
    codes = [
        submit_form(client, "/forum/c/general/new", {"title": f"Topic {n}", "body": "x"})
        for n in range(3)
    ]
    assert [r.status_code for r in codes] == [302, 302, 429]
    assert "Sorry, there have been too many attempts" in codes[2].get_data(as_text=True)


def test_report_rate_limit(app, client, auth, other_member) -> None:
    app.config["FORUM_REPORT_RATE_LIMIT"] = "1 per hour"
    topic = start_topic(other_member)
    posts = [_first_post(topic), services.create_reply(other_member, topic, "two")]
    auth.as_role("member", email="reporter@example.org")
    first = submit_form(client, f"/forum/p/{posts[0].id}/report", {"reason": "spam"})
    second = submit_form(client, f"/forum/p/{posts[1].id}/report", {"reason": "spam"})
    assert (first.status_code, second.status_code) == (302, 429)


def test_report_form_errors(client, auth, other_member) -> None:
    post = _first_post(start_topic(other_member))
    auth.as_role("member", email="reporter@example.org")
    response = submit_form(
        client, f"/forum/p/{post.id}/report", {"reason": "made-up", "note": "my note"}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "govuk-error-summary" in html and "my note" in html


def test_safeguarding_screener_queues_post_silently(app, client, member) -> None:
    seen = []

    def screener(post_id: int, text: str) -> bool:
        seen.append((post_id, text))
        return "hurt" in text

    app.extensions["post_screener"] = screener
    topic = start_topic(member, body="I think someone will get hurt tonight")
    post = _first_post(topic)
    assert seen == [(post.id, "I think someone will get hurt tonight")]
    report = db.session.execute(select(Report)).scalar_one()
    assert (report.reason, report.reporter_id, report.post_id) == ("safeguarding", None, post.id)
    assert post.status == "visible"  # the author is not told and the post stays up
    assert "safeguarding" not in client.get(f"/forum/t/{topic.id}").get_data(as_text=True).lower()


def test_failing_screener_never_blocks_the_post(app, member, caplog) -> None:
    def broken(post_id: int, text: str) -> bool:
        raise RuntimeError("model not loaded")

    app.extensions["post_screener"] = broken
    topic = start_topic(member, body="Ordinary post")
    assert _first_post(topic).status == "visible"
    assert "safeguarding screening failed" in caplog.text
    assert db.session.execute(select(Report)).first() is None


def test_post_created_signal(app, member) -> None:
    from forum.signals import post_created

    received = []

    def listener(sender, **kwargs):
        received.append(kwargs)

    post_created.connect(listener)
    try:
        topic = start_topic(member, body="Signal me")
    finally:
        post_created.disconnect(listener)
    assert received[0]["topic_id"] == topic.id and received[0]["text"] == "Signal me"


def _protected_rules(app):
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(("/moderation", "/staff/forum")):
            yield rule


def test_moderation_and_staff_routes_refuse_anonymous_and_members(app, client, auth) -> None:
    rules = list(_protected_rules(app))
    assert len(rules) >= 8

    def url(rule) -> str:
        values = {arg: 1 for arg in rule.arguments}
        if "action" in rule.arguments:
            values["action"] = "hide" if "posts" in rule.rule else "pin"
        return rule.rule.replace("<int:", "<").format() if False else _build(rule, values)

    def _build(rule, values) -> str:
        from flask import url_for

        with app.test_request_context():
            return url_for(rule.endpoint, **values)

    for rule in rules:
        response = client.get(url(rule))
        assert response.status_code == 302 and "/account/sign-in" in response.location, rule
    auth.as_role("member", email="plain@example.org")
    for rule in rules:
        assert client.get(url(rule)).status_code == 403, rule
    bp_roles = {
        app.blueprints["forum_moderation"].required_roles,
        app.blueprints["forum_staff"].required_roles,
    }
    assert frozenset({"moderator"}) in bp_roles
