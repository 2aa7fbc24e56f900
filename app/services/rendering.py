"""Markdown to safe HTML: the only place where HTML is produced from what users type."""
from __future__ import annotations

from functools import partial

import bleach
import markdown
from bleach.linkifier import LinkifyFilter

ALLOWED_TAGS = frozenset({
    "p", "br", "hr", "a", "img", "strong", "em", "b", "i", "del", "s", "code", "pre", "blockquote",
    "ul", "ol", "li", "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody", "tr", "th", "td",
    "kbd", "sup", "sub",
})
LINK_PROTOCOLS = frozenset({"http", "https"})
LINK_REL = "nofollow ugc noopener"


def _allowed_attribute(tag: str, name: str, value: str) -> bool:
    if tag == "a":
        return name in ("href", "title")
    if tag == "img":
        if name == "src":
            # Images by https only: no mixed content, no data: or javascript: sources.
            return value.strip().lower().startswith("https://")
        return name in ("alt", "title")
    if tag in ("th", "td"):
        return name == "align" and value in ("left", "right", "center")
    if tag == "ol":
        return name == "start" and value.isdigit()
    return False


def _set_link_rel(attrs: dict, new: bool = False) -> dict:  # noqa: ARG001 - bleach's callback shape
    href_key = (None, "href")
    if href_key in attrs:
        attrs[(None, "rel")] = LINK_REL
    return attrs


_cleaner = bleach.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=_allowed_attribute,
    protocols=LINK_PROTOCOLS,
    strip=False,  # disallowed markup is shown as text, so the author sees what they typed
    strip_comments=True,
    filters=[partial(LinkifyFilter, callbacks=[_set_link_rel], skip_tags={"pre", "code"})],
)

_MARKDOWN_EXTENSIONS = ["fenced_code", "tables", "sane_lists", "nl2br"]


def render_markdown(source: str) -> str:
    """Render Markdown (fenced code, tables, lists, links) and sanitise the result."""
    html = markdown.markdown(source, extensions=_MARKDOWN_EXTENSIONS, output_format="html")
    return _cleaner.clean(html)
