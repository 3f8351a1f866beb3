"""Categories, topics and posts: markdown, history, deletion, quotes, pin/lock, pages, unread."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from forum import services
from forum.models import Post, PostRevision, Topic
from portal.extensions import db
from tests.conftest import submit_form
from tests.forum.conftest import category, make_organisation, start_topic, trust


def _topic(title: str) -> Topic:
    return db.session.execute(select(Topic).where(Topic.title == title)).scalar_one()


def test_forum_lists_default_categories(client) -> None:
    category()
    html = client.get("/forum").get_data(as_text=True)
    for name in (
        "Prevent",
        "Respond to immediate risk",
        "Long-term support",
        "Rugby",
        "Events",
        "Funding and opportunities",
        "General",
    ):
        assert name in html


def test_member_starts_topic_and_replies(client, member) -> None:
    category()
    response = submit_form(
        client,
        "/forum/c/general/new",
        {"title": "Knife crime awareness week", "body": "Who is **running** sessions?"},
    )
    assert response.status_code == 302
    topic = _topic("Knife crime awareness week")
    page = client.get(f"/forum/t/{topic.id}").get_data(as_text=True)
    assert "<strong>running</strong>" in page
    assert "Rugby Youth Club" in page  # posted for the member's organisation
    response = submit_form(client, f"/forum/t/{topic.id}/reply", {"body": "We are, in Rugby."})
    assert response.status_code == 302
    assert f"/forum/t/{topic.id}" in response.location
    assert "We are, in Rugby." in client.get(f"/forum/t/{topic.id}").get_data(as_text=True)
    db.session.refresh(topic)
    assert topic.reply_count == 1


def test_posting_needs_a_signed_in_member(client) -> None:
    category()
    response = client.get("/forum/c/general/new")
    assert response.status_code == 302 and "/account/sign-in" in response.location
    response = client.post("/forum/c/general/new", data={"title": "x", "body": "y"})
    assert response.status_code in {302, 400}
    assert db.session.execute(select(Topic)).first() is None


def test_topic_form_errors_keep_typed_text(client, member) -> None:
    category()
    response = submit_form(client, "/forum/c/general/new", {"title": "", "body": "Kept text here"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "govuk-error-summary" in html
    assert "Enter a title" in html
    assert "Kept text here" in html
    response = submit_form(client, "/forum/c/general/new", {"title": "A title", "body": ""})
    assert "Enter your message" in response.get_data(as_text=True)


def test_posted_script_is_sanitised_on_the_page(client, member) -> None:
    topic = start_topic(
        member,
        body="<script>alert(1)</script> [x](javascript:alert(2)) "
        "<iframe src=//evil></iframe> [ok](https://ok.example)",
    )
    html = client.get(f"/forum/t/{topic.id}").get_data(as_text=True)
    assert "<script>alert(1)" not in html
    assert "<iframe" not in html
    assert 'href="javascript' not in html
    assert 'href="https://ok.example" class="govuk-link" rel="nofollow ugc noopener"' in html


def test_edit_keeps_history(client, member) -> None:
    topic = start_topic(member, title="Original title", body="First version")
    post = db.session.execute(select(Post).where(Post.topic_id == topic.id)).scalar_one()
    response = submit_form(
        client, f"/forum/p/{post.id}/edit", {"title": "Better title", "body": "Second version"}
    )
    assert response.status_code == 302
    db.session.refresh(post)
    assert post.body == "Second version" and post.edited_at is not None
    assert post.topic.title == "Better title"
    revision = db.session.execute(select(PostRevision)).scalar_one()
    assert revision.body == "First version" and revision.title == "Original title"
    history = client.get(f"/forum/p/{post.id}/history").get_data(as_text=True)
    assert "First version" in history and "Second version" in history


def test_others_cannot_edit_or_see_history(client, auth, other_member) -> None:
    topic = start_topic(other_member, body="Not yours")
    post = db.session.execute(select(Post).where(Post.topic_id == topic.id)).scalar_one()
    auth.as_role("member", email="third@example.org")
    assert client.get(f"/forum/p/{post.id}/edit").status_code == 403
    assert client.get(f"/forum/p/{post.id}/history").status_code == 403
    assert client.get(f"/forum/p/{post.id}/delete").status_code == 403


def test_soft_delete_shows_placeholder(client, member) -> None:
    topic = start_topic(member)
    reply = services.create_reply(member, topic, "Delete me please")
    response = submit_form(client, f"/forum/p/{reply.id}/delete", {})
    assert response.status_code == 302
    db.session.refresh(reply)
    assert reply.deleted_at is not None  # kept, not removed
    html = client.get(f"/forum/t/{topic.id}").get_data(as_text=True)
    assert "This post was deleted." in html
    assert "Delete me please" not in html


def test_deleting_first_post_removes_topic(client, member) -> None:
    topic = start_topic(member, title="Gone soon")
    first = db.session.execute(select(Post).where(Post.topic_id == topic.id)).scalar_one()
    submit_form(client, f"/forum/p/{first.id}/delete", {})
    assert client.get(f"/forum/t/{topic.id}").status_code == 404
    assert "Gone soon" not in client.get("/forum/c/general").get_data(as_text=True)


def test_quote_prefills_reply(client, member, other_member) -> None:
    topic = start_topic(other_member, body="Line one\nLine two")
    first = db.session.execute(select(Post).where(Post.topic_id == topic.id)).scalar_one()
    html = client.get(f"/forum/t/{topic.id}/reply?quote={first.id}").get_data(as_text=True)
    assert "&gt; Line one" in html and "&gt; Line two" in html
    assert "Test Person wrote:" in html
    # quoting a post from another topic or a missing post quietly does nothing
    assert client.get(f"/forum/t/{topic.id}/reply?quote=99999").status_code == 200
    assert client.get(f"/forum/t/{topic.id}/reply?quote=abc").status_code == 200


def test_pin_and_lock(client, auth, other_member) -> None:
    first = start_topic(other_member, title="Older topic")
    second = start_topic(other_member, title="Newer topic")
    auth.as_role("moderator", email="mod@example.org")
    response = submit_form(
        client, f"/moderation/topics/{first.id}/pin", {"reason": "Important guidance"}
    )
    assert response.status_code == 302
    html = client.get("/forum/c/general").get_data(as_text=True)
    assert html.index("Older topic") < html.index("Newer topic")
    submit_form(client, f"/moderation/topics/{second.id}/lock", {"reason": "Heated"})
    db.session.refresh(second)
    assert second.locked
    auth.logout()
    auth.login("other@example.org")
    html = client.get(f"/forum/t/{second.id}").get_data(as_text=True)
    assert "This topic is locked." in html
    response = submit_form(client, f"/forum/t/{second.id}/reply", {"body": "Sneaky reply"})
    assert response.status_code == 200
    assert "This topic is locked" in response.get_data(as_text=True)
    assert (
        "Sneaky reply"
        not in client.get(f"/forum/t/{second.id}").get_data(as_text=True).split("Reply</h2>")[0]
    )


def test_topic_pages(app, client, member) -> None:
    app.config["FORUM_POSTS_PER_PAGE"] = 3
    topic = start_topic(member, body="Post number 0")
    for n in range(1, 7):
        services.create_reply(member, topic, f"Post number {n}")
    page1 = client.get(f"/forum/t/{topic.id}").get_data(as_text=True)
    page3 = client.get(f"/forum/t/{topic.id}?page=3").get_data(as_text=True)
    assert "Post number 0" in page1 and "Post number 3" not in page1
    assert "Post number 6" in page3 and "Post number 0" not in page3
    assert "govuk-pagination" in page1
    # out-of-range and odd page numbers fall back rather than fail
    assert "Post number 6" in client.get(f"/forum/t/{topic.id}?page=999").get_data(as_text=True)
    assert client.get(f"/forum/t/{topic.id}?page=-1").status_code == 200
    assert client.get(f"/forum/t/{topic.id}?page=x").status_code == 200


def test_unread_markers(client, auth, member, other_member) -> None:
    topic = start_topic(other_member, title="Unread topic")
    html = client.get("/forum/c/general").get_data(as_text=True)
    assert "forum-unread" in html
    client.get(f"/forum/t/{topic.id}")
    assert "forum-unread" not in client.get("/forum/c/general").get_data(as_text=True)
    import time

    time.sleep(0.01)
    services.create_reply(other_member, topic, "A fresh reply")
    assert "forum-unread" in client.get("/forum/c/general").get_data(as_text=True)
    topic_html = client.get(f"/forum/t/{topic.id}").get_data(as_text=True)
    assert topic_html.count("forum-unread") == 1  # only the new reply is marked


def test_members_only_category_never_leaks(client, auth) -> None:
    owner = auth.create("owner@example.org")
    trust(owner)
    organisation = make_organisation(owner)
    private = category("funding")
    private.members_only = True
    db.session.commit()
    secret = start_topic(
        owner, title="Confidential funding bid", body="zebracrossing plans", slug="funding"
    )
    assert services.recent_public_posts_for_organisation(organisation.id) == []

    def leaks() -> list[str]:
        found = []
        if "Funding and opportunities" in client.get("/forum").get_data(as_text=True):
            found.append("index")
        if client.get("/forum/c/funding").status_code != 404:
            found.append("category")
        if client.get(f"/forum/t/{secret.id}").status_code != 404:
            found.append("topic")
        if "Confidential" in client.get("/forum/search?q=zebracrossing").get_data(as_text=True):
            found.append("search")
        if "Confidential" in client.get(f"/directory/{organisation.slug}").get_data(as_text=True):
            found.append("directory")
        return found

    assert leaks() == []  # the public
    auth.as_role("member", email="unaffiliated@example.org")
    assert leaks() == []  # an account that belongs to no approved organisation
    auth.logout()
    auth.login("owner@example.org")
    assert "Confidential funding bid" in client.get("/forum/c/funding").get_data(as_text=True)
    assert "Confidential" in client.get("/forum/search?q=zebracrossing").get_data(as_text=True)
    # even for members, the public directory shows only public activity
    assert "Confidential" not in client.get(f"/directory/{organisation.slug}").get_data(
        as_text=True
    )


def test_staff_make_category_private(client, auth) -> None:
    general = category("general")
    auth.as_role("staff", email="staff@example.org")
    response = submit_form(
        client,
        f"/staff/forum/categories/{general.id}",
        {"name": "General", "description": "Chat", "members_only": "y", "position": "5"},
    )
    assert response.status_code == 302
    db.session.refresh(general)
    assert general.members_only
    response = submit_form(
        client,
        "/staff/forum/categories/new",
        {"name": "Youth voice", "description": "", "position": "abc"},
    )
    assert "govuk-error-summary" in response.get_data(as_text=True)
    assert 'value="Youth voice"' in response.get_data(as_text=True)
    submit_form(
        client,
        "/staff/forum/categories/new",
        {"name": "Youth voice", "description": "", "position": "12"},
    )
    assert category("youth-voice").name == "Youth voice"


@pytest.mark.parametrize(
    "path",
    [
        "/forum/c/no-such-category",
        "/forum/t/999999",
        "/forum/t/abc",
        "/forum/p/999999/edit",
        "/directory/no-such-organisation",
        "/events/999999",
        "/events/999999.ics",
    ],
)
def test_missing_things_are_404_not_500(client, auth, path: str) -> None:
    auth.as_role("member", email="lost@example.org")
    assert client.get(path).status_code == 404


def test_odd_post_input_never_500s(client, member) -> None:
    category()
    for body in ("\x00", "a" * 25000, "[" * 5000, "`" * 3000, "> " * 2000, "\u202e\u200b"):
        response = submit_form(client, "/forum/c/general/new", {"title": "Odd input", "body": body})
        assert response.status_code in {200, 302}, body[:20]
