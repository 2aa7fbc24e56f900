"""Markdown rendering and sanitising: what survives, what is neutralised."""
from __future__ import annotations

from html.parser import HTMLParser

import pytest

from app.services.rendering import render_markdown


def _tags(html: str) -> list[tuple[str, list[tuple[str, str | None]]]]:
    """Every start tag in the HTML with its attributes, as a browser's parser would see them."""
    found = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag, attrs):  # noqa: ANN001
            found.append((tag, attrs))

    Collector().feed(html)
    return found


def test_markdown_features_render():
    html = render_markdown(
        "**bold** and `code`\n\n```\nlpstat -p\n```\n\n- one\n- two\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
    )
    assert "<strong>bold</strong>" in html and "<code>code</code>" in html
    assert "<pre><code>lpstat -p" in html
    assert "<li>one</li>" in html
    assert "<table>" in html and "<td>1</td>" in html


def test_links_get_rel_and_bare_urls_are_linked():
    html = render_markdown("See [the drivers](https://support.example.com/drivers) or https://example.org/x")
    assert html.count('rel="nofollow ugc noopener"') == 2
    assert 'href="https://example.org/x"' in html


def test_code_blocks_are_not_linkified():
    html = render_markdown("```\ncurl https://example.org/api\n```")
    assert "<a " not in html


@pytest.mark.parametrize("source", [
    "[x](javascript:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD4=)",
    "[x](vbscript:msgbox(1))",
    "[x](ftp://example.org/file)",
    '<a href="javascript:alert(1)">x</a>',
])
def test_only_http_links_keep_their_href(source):
    html = render_markdown(source)
    assert "javascript:" not in html.replace("&amp;", "&") or "href" not in html
    assert 'href="javascript' not in html and 'href="data' not in html and 'href="ftp' not in html


@pytest.mark.parametrize("source, kept", [
    ("![printer](https://example.org/p.png)", True),
    ("![printer](http://example.org/p.png)", False),
    ("![x](data:image/png;base64,AAAA)", False),
    ("![x](javascript:alert(1))", False),
])
def test_images_only_by_https(source, kept):
    html = render_markdown(source)
    assert ('src="https://example.org/p.png"' in html) is kept
    assert "src=\"http:" not in html and "src=\"data" not in html and "src=\"javascript" not in html


@pytest.mark.parametrize("source", [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    '<svg onload="alert(1)">',
    '<iframe src="https://evil.example"></iframe>',
    '<a href="https://ok.example" onclick="alert(1)" style="color:red">x</a>',
    "<style>body{display:none}</style>",
])
def test_raw_html_is_shown_as_text_not_run(source):
    tags = _tags(render_markdown(source))
    assert not {name for name, _ in tags} & {"script", "svg", "iframe", "style"}
    assert not [attr for _, attrs in tags for attr, _ in attrs if attr.startswith("on") or attr == "style"]


def test_what_was_typed_stays_visible_as_text():
    assert "&lt;script&gt;" in render_markdown("<script>alert(1)</script>")
