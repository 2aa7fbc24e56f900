"""Importers that bring content from other sites into Peerdesk (see stackexchange.py), and the
pieces they share: streaming a large XML file row by row, and turning foreign HTML into the
Markdown source a post keeps (rendered and sanitised by services/rendering.py like any post)."""
from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from urllib.parse import urljoin, urlsplit

from lxml import etree
from markdownify import MarkdownConverter


def iter_rows(path: str | os.PathLike, *, progress: Callable[[int], None] | None = None) -> Iterator[dict[str, str]]:
    """The attributes of every <row> element of an XML file, one dict at a time.

    Each element is cleared once read, and the siblings before it dropped, so memory stays flat on a
    file of many gigabytes. `progress` receives the number of bytes read since its last call.
    """
    with open(path, "rb") as raw:
        parser = etree.iterparse(raw, events=("end",), tag="row", huge_tree=True,
                                 resolve_entities=False, no_network=True, load_dtd=False)
        reported = 0
        for _event, element in parser:
            yield dict(element.attrib)
            element.clear()
            while element.getprevious() is not None:
                del element.getparent()[0]
            if progress is not None:
                position = raw.tell()
                if position > reported:
                    progress(position - reported)
                    reported = position
        if progress is not None:
            end = os.path.getsize(path)
            if end > reported:
                progress(end - reported)


class _Converter(MarkdownConverter):
    """markdownify, plus: links and images made absolute against the source site (a relative
    "/questions/12" would point into Peerdesk) and only http(s) kept, and a "<" in text kept as
    text (as "&lt;"),
    since a Markdown renderer would take "<b>" typed as text for markup."""

    def __init__(self, base_url: str | None, **options) -> None:
        super().__init__(**options)
        self.base_url = base_url

    def _absolute(self, el, attribute: str) -> None:  # noqa: ANN001 - a BeautifulSoup tag
        value = (el.get(attribute) or "").strip()
        try:
            if value and self.base_url:
                value = urljoin(self.base_url + "/", value)
            keep = urlsplit(value).scheme in ("http", "https")
        except ValueError:  # a malformed address, such as "http://[Stack Overflow]"
            keep = False
        if keep:
            el[attribute] = value
        elif el.has_attr(attribute):
            del el[attribute]  # javascript:, data: and the like: the link text stays, the link goes

    def convert_a(self, el, text, parent_tags):  # noqa: ANN001, ANN201 - markdownify's signature
        self._absolute(el, "href")
        return super().convert_a(el, text, parent_tags)

    def convert_img(self, el, text, parent_tags):  # noqa: ANN001, ANN201
        self._absolute(el, "src")
        if not el.get("src"):
            return self.escape(el.get("alt") or "", parent_tags)
        return super().convert_img(el, text, parent_tags)

    def escape(self, text, parent_tags):  # noqa: ANN001, ANN201
        return super().escape(text, parent_tags).replace("<", "&lt;")


def html_to_markdown(html: str, *, base_url: str | None = None) -> str:
    """Markdown source for a post written in HTML elsewhere. Scripts and styles are dropped with
    their content; whatever HTML is left in the Markdown is sanitised when it is rendered."""
    converter = _Converter(base_url, heading_style="ATX", bullets="-")
    return converter.convert(html).strip()
