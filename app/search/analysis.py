"""Word stemming per language (snowballstemmer, which also knows Polish) and safe highlighting."""
from __future__ import annotations

import re
import threading
from functools import lru_cache

import snowballstemmer
from markupsafe import Markup, escape

SNOWBALL = {"en": "english", "de": "german", "fr": "french", "nl": "dutch", "pl": "polish", "nb": "norwegian"}
WORD = re.compile(r"\w+", re.UNICODE)


class Stemmer:
    """A picklable stemming function (Whoosh stores the schema, analysers included, in the index)."""

    def __init__(self, language: str) -> None:
        self.language = language

    def __call__(self, word: str) -> str:
        return _stem(self.language, word)

    def __getstate__(self) -> dict:
        return {"language": self.language}

    def __setstate__(self, state: dict) -> None:
        self.language = state["language"]


# Snowball stemmers keep state while they stem, so each thread (a request, the indexer) has its own.
_local = threading.local()


def _snowball(language: str):
    stemmers = getattr(_local, "stemmers", None)
    if stemmers is None:
        stemmers = _local.stemmers = {}
    if language not in stemmers:
        stemmers[language] = snowballstemmer.stemmer(SNOWBALL.get(language, "english"))
    return stemmers[language]


@lru_cache(maxsize=200_000)
def _stem(language: str, word: str) -> str:
    return _snowball(language).stemWord(word)


def snippet(text: str, words: set[str], prefixes: set[str], language: str, *, width: int = 240) -> str:
    """A piece of `text` around the first matched word, escaped, with <mark> around matches.

    A word matches when its stem (in the document's language) is a stem of a query word, or when
    it starts with a query prefix (`print*`).
    """
    stem = Stemmer(language)
    stems = {stem(w) for w in words}

    def matches(token: str) -> bool:
        lower = token.lower()
        return stem(lower) in stems or any(lower.startswith(p) for p in prefixes)

    tokens = list(WORD.finditer(text))
    first = next((t.start() for t in tokens if matches(t.group())), 0)
    start = max(0, first - width // 3)
    if start:  # begin at a word boundary
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < first else start
    end = min(len(text), start + width)
    if end < len(text):  # end at a word boundary too
        space = text.rfind(" ", start, end)
        end = space if space > first else end
    piece = text[start:end]
    out, cursor = [], 0
    for token in WORD.finditer(piece):
        if matches(token.group()):
            out.append(escape(piece[cursor:token.start()]))
            out.append(Markup("<mark>") + escape(token.group()) + Markup("</mark>"))
            cursor = token.end()
    out.append(escape(piece[cursor:]))
    return ("… " if start else "") + "".join(str(part) for part in out) + (" …" if end < len(text) else "")
