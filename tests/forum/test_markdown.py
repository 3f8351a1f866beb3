"""Markdown rendering and sanitising."""

from __future__ import annotations

import html5lib
import pytest
from markupsafe import Markup

from forum.markdown import count_links, plain_excerpt, render


def _elements(html: str) -> list:
    tree = html5lib.parse(f"<div>{html}</div>", namespaceHTMLElements=False)
    return list(tree.iter())


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert('x')</script>",
        "<iframe src='https://evil.example'></iframe>",
        "<img src=x onerror=alert(1)>",
        '<a href="javascript:alert(1)">click</a>',
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "[data](data:text/html;base64,PHNjcmlwdD4=)",
        "<svg onload=alert(1)>",
        '<p onclick="x()">hi</p>',
        "![img](https://example.org/x.png)",
    ],
)
def test_dangerous_markup_never_becomes_html(source: str) -> None:
    elements = _elements(str(render(source)))
    tags = {el.tag for el in elements}
    assert not tags & {"script", "iframe", "img", "svg", "object", "embed"}
    for el in elements:
        assert not [name for name in el.attrib if name.lower().startswith("on")]
        href = el.attrib.get("href", "")
        assert not href.lower().startswith(("javascript:", "data:", "vbscript:"))


def test_links_get_nofollow_ugc() -> None:
    html = str(render("See [our site](https://example.org/a) or <https://example.org/b>"))
    assert html.count('rel="nofollow ugc noopener"') == 2
    assert 'href="https://example.org/a"' in html


def test_mailto_links_allowed_other_schemes_dropped() -> None:
    html = str(render("[mail](mailto:a@example.org) [ftp](ftp://example.org/x)"))
    assert 'href="mailto:a@example.org"' in html
    assert 'href="ftp' not in html


def test_render_returns_markup_with_formatting() -> None:
    html = render("# Heading\n\n**bold** and *em*\n\n> quoted\n\n- one\n- two")
    assert isinstance(html, Markup)
    assert "<h3" in html  # page headings stay the page's
    assert "<strong>bold</strong>" in html
    assert '<blockquote class="govuk-inset-text">' in html
    assert '<ul class="govuk-list govuk-list--bullet">' in html


def test_raw_html_is_shown_as_text() -> None:
    assert "&lt;b&gt;" in render("<b>not bold</b>")


def test_count_links_counts_bare_and_markdown_links() -> None:
    assert count_links("a https://x.org b [c](http://y.org) www.z.org") == 3
    assert count_links("no links here") == 0


def test_plain_excerpt_shortens() -> None:
    text = plain_excerpt("**Hello** " + "word " * 100, 50)
    assert text.startswith("Hello") and len(text) <= 50 and text.endswith("…")
