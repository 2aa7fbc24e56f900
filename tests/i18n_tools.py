"""Shared by the language tests: the catalogs compiled when stale, and each language's navigation."""
from __future__ import annotations

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from app.config import PROJECT_ROOT

TRANSLATIONS = PROJECT_ROOT / "translations"
# The header's words per language: what a reader sees first.
NAVIGATION = {
    "en": ("Boards", "Top helpers", "Ask a question", "Sign in"),
    "de": ("Bereiche", "Beste Helfer", "Frage stellen", "Anmelden"),
    "fr": ("Espaces", "Meilleurs contributeurs", "Poser une question", "Se connecter"),
    "nl": ("Forums", "Tophelpers", "Vraag stellen", "Inloggen"),
    "pl": ("Działy", "Najlepsi pomocnicy", "Zadaj pytanie", "Zaloguj się"),
    "nb": ("Forum", "Beste hjelpere", "Still et spørsmål", "Logg inn"),
}


def catalogs() -> dict[str, Path]:
    return {path.parent.parent.name: path for path in sorted(TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"))}


def compile_catalogs() -> None:
    """What `make install` does (pybabel compile), for a test run started without make."""
    for path in catalogs().values():
        mo = path.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= path.stat().st_mtime:
            continue
        with path.open("rb") as source:
            catalog = read_po(source)
        with mo.open("wb") as target:
            write_mo(target, catalog)
