"""Forum search: SQLite FTS5 on the embedded database, PostgreSQL full-text search in production."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from flask import current_app
from sqlalchemy import func, literal_column, select, table, text

from forum.markdown import plain_excerpt
from forum.models import Category, Post, Topic
from forum.services import Page, readable_post_clause
from portal.extensions import db

# Words only: quotes, stars, NEAR and brackets are dropped, so no input is a syntax error.
_WORD_RE = re.compile(r"\w+", re.UNICODE)
MAX_TERMS = 12


@dataclass
class SearchHit:
    """One matching post and the topic it belongs to."""

    post: Post
    topic: Topic
    excerpt: str


def search_terms(query: str) -> list[str]:
    """The words a query searches for."""
    return _WORD_RE.findall(query or "")[:MAX_TERMS]


def search(query: str, user: Any, page: int = 1) -> Page:
    """Posts (and topic titles) matching the query that this person may read, best first."""
    per_page = current_app.config["FORUM_SEARCH_PER_PAGE"]
    terms = search_terms(query)
    if not terms:
        return Page(items=[], page=1, per_page=per_page, total=0)
    base = (
        select(Post, Topic)
        .join(Topic, Topic.id == Post.topic_id)
        .join(Category, Category.id == Topic.category_id)
        .where(readable_post_clause(user))
    )
    if db.engine.dialect.name == "postgresql":
        statement = _postgres(base, " ".join(terms))
    else:
        statement = _sqlite(base, terms)
    from forum.services import paginate

    result = paginate(statement, page, per_page, scalars=False)
    result.items = [
        SearchHit(post, topic, plain_excerpt(post.body)) for post, topic in result.items
    ]
    return result


def _sqlite(base: Any, terms: list[str]) -> Any:
    # Each word quoted, so FTS5 reads it literally; all words must match (implicit AND).
    match = " ".join('"' + term.replace('"', "") + '"' for term in terms)
    hits = (
        select(literal_column("rowid").label("post_id"), literal_column("rank").label("score"))
        .select_from(table("forum_search"))
        .where(text("forum_search MATCH :match").bindparams(match=match))
        .subquery("hits")
    )
    return base.join(hits, hits.c.post_id == Post.id).order_by(hits.c.score, Post.created_at.desc())


def _postgres(base: Any, query: str) -> Any:
    # The expressions match the GIN indexes created in the migration.
    tsquery = func.plainto_tsquery("english", query)
    body = func.to_tsvector("english", Post.body)
    title = func.to_tsvector("english", Topic.title)
    rank = func.ts_rank(body, tsquery) + func.ts_rank(title, tsquery) * 2
    return base.where(body.op("@@")(tsquery) | title.op("@@")(tsquery)).order_by(
        rank.desc(), Post.created_at.desc()
    )
