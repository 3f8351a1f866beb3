"""Forum text: Markdown rendered by markdown-it-py, then sanitised by nh3 (the only way in)."""

from __future__ import annotations

import re

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li",
    "a", "h3", "h4", "h5", "h6",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = {"http", "https", "mailto"}
# GOV.UK classes so member text looks like the rest of the page (added after cleaning).
CLASSES = {
    "p": {"class": "govuk-body"},
    "a": {"class": "govuk-link"},
    "ul": {"class": "govuk-list govuk-list--bullet"},
    "ol": {"class": "govuk-list govuk-list--number"},
    "blockquote": {"class": "govuk-inset-text"},
    "h3": {"class": "govuk-heading-m"},
    "h4": {"class": "govuk-heading-s"},
    "h5": {"class": "govuk-heading-s"},
    "h6": {"class": "govuk-heading-s"},
}
_LINK_RE = re.compile(r"(?:https?://|mailto:|www\.)", re.IGNORECASE)
_NUL_RE = re.compile("\x00")

_md = MarkdownIt("commonmark", {"html": False, "linkify": False})
_md.disable("image")


def _shift_headings(renderer: object, tokens: list, idx: int, options: object, env: object) -> str:
    # The page owns h1 and h2; a member's "# Heading" becomes an h3 so the outline stays right.
    token = tokens[idx]
    level = int(token.tag[1])
    token.tag = f"h{min(6, level + 2)}"
    return _md.renderer.renderToken(tokens, idx, options, env)


_md.add_render_rule("heading_open", _shift_headings)
_md.add_render_rule("heading_close", _shift_headings)


def render(text: str) -> Markup:
    """Render member-written Markdown to safe HTML for a template."""
    html = _md.render(_NUL_RE.sub("", text or ""))
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style", "iframe", "object", "embed", "template"},
        attributes=ALLOWED_ATTRIBUTES,
        link_rel="nofollow ugc noopener",
        url_schemes=URL_SCHEMES,
        set_tag_attribute_values=CLASSES,
    )
    return Markup(cleaned)  # noqa: S704 - nh3 has just cleaned it against the allow-list


def count_links(text: str) -> int:
    """How many web or email addresses a text holds (bare or as Markdown links)."""
    return len(_LINK_RE.findall(text or ""))


def plain_excerpt(text: str, length: int = 200) -> str:
    """A short plain-text preview of Markdown, for lists, search results and emails."""
    plain = re.sub(r"[`*_>#\[\]()!~-]+", " ", text or "")
    plain = re.sub(r"\s+", " ", plain).strip()
    return plain if len(plain) <= length else plain[: length - 1].rstrip() + "…"
