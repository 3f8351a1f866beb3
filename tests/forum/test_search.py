"""Search on whichever backend the suite runs (SQLite FTS5 here, PostgreSQL in CI)."""

from __future__ import annotations

from sqlalchemy.dialects import postgresql

from forum import search, services
from forum.models import Post, Topic
from portal.extensions import db
from tests.forum.conftest import category, start_topic


def test_search_finds_posts_and_titles(app, member) -> None:
    topic = start_topic(member, title="Detached youth work in Nuneaton", body="Street teams")
    services.create_reply(member, topic, "We run mentoring on Thursday evenings")
    start_topic(member, title="Funding round", body="Community grants are open")
    with app.test_request_context():
        by_body = search.search("mentoring evenings", member, 1)
        by_title = search.search("nuneaton", member, 1)
        stemmed = search.search("grant", member, 1)
        nothing = search.search("zzzqqq", member, 1)
    assert [hit.post.body for hit in by_body.items] == ["We run mentoring on Thursday evenings"]
    assert {hit.topic.id for hit in by_title.items} == {topic.id}
    assert stemmed.total == 1
    assert nothing.total == 0


def test_search_follows_edits_and_hides_deleted_or_hidden(app, member) -> None:
    topic = start_topic(member, title="Plans", body="original wording")
    first = topic_first(topic)
    services.edit_post(member, first, "replacement wording")
    reply = services.create_reply(member, topic, "soon removed wording")
    services.delete_post(member, reply)
    with app.test_request_context():
        assert search.search("original", member, 1).total == 0
        assert search.search("replacement", member, 1).total == 1
        assert search.search("removed", member, 1).total == 0


def topic_first(topic: Topic) -> Post:
    return db.session.execute(
        db.select(Post).where(Post.topic_id == topic.id, Post.is_first.is_(True))
    ).scalar_one()


def test_odd_search_input_never_fails(client, member) -> None:
    start_topic(member, body="Ordinary words")
    for query in [
        '"',
        "NEAR(",
        "*",
        "a OR",
        "-x",
        "\x00",
        "'; DROP TABLE x; --",
        "ü" * 300,
        "(((",
        "title:foo",
        "^",
    ]:
        response = client.get("/forum/search", query_string={"q": query})
        assert response.status_code == 200, query
    assert client.get("/forum/search?q=ordinary&page=abc").status_code == 200


def test_search_page_shows_results(client, member) -> None:
    category()
    start_topic(member, title="Boxing club open session", body="All welcome")
    html = client.get("/forum/search?q=boxing").get_data(as_text=True)
    assert "1 result" in html and "Boxing club open session" in html


def test_postgres_query_uses_full_text_search() -> None:
    statement = search._postgres(db.select(Post, Topic), "knife crime")
    sql = str(statement.compile(dialect=postgresql.dialect()))
    assert "plainto_tsquery" in sql
    assert "to_tsvector" in sql and "@@" in sql


def test_search_terms_drop_syntax() -> None:
    assert search.search_terms('knife "crime" NEAR(x) *') == ["knife", "crime", "NEAR", "x"]
