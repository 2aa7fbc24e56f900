"""The hostile input lists of tests/data, loaded once: XSS payloads and the naughty strings."""
from __future__ import annotations

import json
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data"


def _lines(name: str) -> list[str]:
    return [line for line in (DATA / name).read_text(encoding="utf-8").split("\n") if line.strip()]


# RSnake's list as published, then our own (xss-more.txt writes a line break inside a payload as
# the two characters \n, so multi-line Markdown such as a reference-style link fits on one line).
XSS_PAYLOADS = _lines("xss-rsnake.txt") + [line.replace("\\n", "\n") for line in _lines("xss-more.txt")]
NAUGHTY_STRINGS: list[str] = json.loads((DATA / "blns.json").read_text(encoding="utf-8"))
