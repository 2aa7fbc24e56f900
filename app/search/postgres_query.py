"""The search box's query language, parsed for the PostgreSQL backend and turned into a tsquery.

The language is Whoosh's, as the search page documents it: words are ANDed, `OR` and `NOT`
(upper case) and parentheses combine them, `"a phrase"` keeps words together, `print*` is a
prefix. Each word and phrase is analysed by PostgreSQL in every configuration in use
(`websearch_to_tsquery`) and the analyses are ORed, as Whoosh ORs a word over its per-language
fields, so one query finds threads in every language, each stemmed its own way. A word that is a
stop word in some configuration is left out: `english` indexes no "the", so requiring it would
find no English thread. Prefixes are matched unstemmed (`to_tsquery('simple', 'print':*)`).

Parsing never fails: stray operators, quotes and parentheses are skipped, and a query with
nothing searchable is None (no hits).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.engine import Connection

_TOKEN = re.compile(r'"([^"]*)"?|(\w+)(\*?)|([()])', re.UNICODE)
OPERATORS = ("AND", "OR", "NOT")


@dataclass(frozen=True)
class Leaf:
    kind: str  # "word", "phrase" or "prefix"
    value: str

    def argument(self) -> str:
        """What PostgreSQL analyses: websearch syntax for words and phrases, tsquery syntax for
        a prefix (a \\w+ word, so it holds no quote or backslash)."""
        if self.kind == "prefix":
            return f"'{self.value.lower()}':*"
        return f'"{self.value}"' if self.kind == "phrase" else self.value


# A parsed query: a Leaf, or ("and" | "or", [nodes]), or ("not", node).
Node = Leaf | tuple


def parse(query: str) -> Node | None:
    tokens = _tokens(query)
    position = 0

    def peek() -> str | Leaf | None:
        return tokens[position] if position < len(tokens) else None

    def take() -> str | Leaf | None:
        nonlocal position
        position += 1
        return tokens[position - 1]

    def either() -> Node | None:
        parts = [both()]
        while peek() == "OR":
            take()
            parts.append(both())
        return _combine("or", parts)

    def both() -> Node | None:
        parts = []
        while peek() not in (None, ")", "OR"):
            if peek() == "AND":
                take()
                continue
            parts.append(single())
        return _combine("and", parts)

    def single() -> Node | None:
        token = take()
        if token == "NOT":
            inner = single() if peek() not in (None, ")", "OR", "AND") else None
            return ("not", inner) if inner is not None else None
        if token == "(":
            inner = either()
            if peek() == ")":
                take()
            return inner
        return token if isinstance(token, Leaf) else None

    parts = []
    while peek() is not None:
        parts.append(either())
        if peek() == ")":  # one too many: skip it and read on
            take()
    return _combine("and", parts)


def _tokens(query: str) -> list[str | Leaf]:
    tokens: list[str | Leaf] = []
    for match in _TOKEN.finditer(query):
        phrase, word, star, bracket = match.groups()
        if phrase is not None:
            if re.search(r"\w", phrase):
                tokens.append(Leaf("phrase", phrase))
        elif word is not None:
            if star:
                tokens.append(Leaf("prefix", word))
            else:
                tokens.append(word if word in OPERATORS else Leaf("word", word))
        else:
            tokens.append(bracket)
    return tokens


def _combine(operator: str, parts: list[Node | None]) -> Node | None:
    present = [part for part in parts if part is not None]
    if len(present) > 1:
        return (operator, present)
    return present[0] if present else None


def leaves(node: Node | None) -> list[Leaf]:
    if node is None:
        return []
    if isinstance(node, Leaf):
        return [node]
    if node[0] == "not":
        return leaves(node[1])
    return [leaf for part in node[1] for leaf in leaves(part)]


_ANALYSE = text("""
    SELECT x.position, CASE WHEN x.kind = 'prefix' THEN to_tsquery('simple', x.argument)::text
                            ELSE websearch_to_tsquery(c.config::regconfig, x.argument)::text END
    FROM unnest(CAST(:kinds AS text[]), CAST(:arguments AS text[])) WITH ORDINALITY AS x(kind, argument, position)
    CROSS JOIN unnest(CAST(:configs AS text[])) AS c(config)
""")


def to_tsquery(connection: Connection, node: Node | None, configs: tuple[str, ...]) -> str | None:
    """The tsquery (as text) that finds what `node` asks for in documents of any of these
    configurations, or None when nothing in it can be searched."""
    found = leaves(node)
    if not found:
        return None
    analyses: dict[int, list[str]] = {}
    for position, analysed in connection.execute(_ANALYSE, {
            "kinds": [leaf.kind for leaf in found], "arguments": [leaf.argument() for leaf in found],
            "configs": list(configs)}):
        analyses.setdefault(position - 1, []).append(analysed)
    by_leaf = {id(leaf): _alternatives(analyses[i]) for i, leaf in enumerate(found)}

    def build(part: Node) -> str | None:
        if isinstance(part, Leaf):
            return by_leaf[id(part)]
        if part[0] == "not":
            inner = build(part[1])
            return f"!( {inner} )" if inner else None
        built = [b for b in map(build, part[1]) if b]
        joiner = " & " if part[0] == "and" else " | "
        return joiner.join(f"( {b} )" for b in built) or None

    return build(node)


def _alternatives(analysed: list[str]) -> str | None:
    """One leaf's analyses in the configurations, ORed; None when any of them is empty (a stop
    word there: documents in that language do not hold it)."""
    if any(not a for a in analysed):
        return None
    return " | ".join(f"( {a} )" for a in dict.fromkeys(analysed))
