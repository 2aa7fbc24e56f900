"""Cleaning of short plain-text input (titles, names, tags) and slugs for URLs."""
from __future__ import annotations

import re
import unicodedata

from slugify import slugify as _slugify

# Control, format (zero-width, bidi overrides), surrogate, private-use and unassigned characters
# make names and titles that look like something they are not; they never belong in one line.
_UNWANTED_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn"}
_SPACES = re.compile(r"\s+")


def clean_line(value: str | None) -> str:
    """One line of text: NFC-normalised, invisible characters removed, whitespace collapsed."""
    if not value:
        return ""
    value = unicodedata.normalize("NFC", value)
    value = "".join(ch for ch in value if unicodedata.category(ch) not in _UNWANTED_CATEGORIES or ch in "\t\n")
    return _SPACES.sub(" ", value).strip()


def clean_body(value: str | None) -> str:
    """Multi-line text (Markdown source): NUL and other control characters removed, newlines kept."""
    if not value:
        return ""
    value = unicodedata.normalize("NFC", value.replace("\r\n", "\n").replace("\r", "\n"))
    return "".join(ch for ch in value if ch in "\n\t" or unicodedata.category(ch) not in {"Cc", "Cs"}).strip()


def slugify(text: str, *, fallback: str, max_length: int = 80) -> str:
    """A readable ASCII slug for a URL; `fallback` when nothing readable is left."""
    return _slugify(text, max_length=max_length, word_boundary=True) or fallback
