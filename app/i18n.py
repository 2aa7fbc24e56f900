"""Interface languages: which ones the site speaks, and which one a request gets.

The choice, first match wins: the member's own setting (users.locale), the visitor's choice kept
in the session (both set by the footer's switcher, app/web/language.py), the best match of the
browser's Accept-Language among the languages shipped, English. Posts remember the language they
were written in (posts.language), which search uses to stem their words.
"""
from __future__ import annotations

from flask import Flask, Response, g, request, session
from flask_babel import get_locale, get_translations
from flask_login import current_user

# Code -> the language's own name (shown in the switcher as is, never translated).
LANGUAGES: dict[str, str] = {
    "en": "English",
    "de": "Deutsch",
    "fr": "Français",
    "nl": "Nederlands",
    "pl": "Polski",
    "nb": "Norsk bokmål",
}
DEFAULT_LOCALE = "en"
SESSION_KEY = "locale"


def N_(text: str) -> str:
    """Marks a string for `make translations` without translating it here: services keep English
    (it goes into audit entries and logs), and the page translates it with _() where it is shown."""
    return text


def supported(code: str | None) -> str | None:
    """`code` if the site speaks it, else None."""
    return code if code in LANGUAGES else None


def select_locale() -> str:
    """The request's interface language (Flask-Babel's locale selector)."""
    if current_user and current_user.is_authenticated and supported(current_user.locale):
        return current_user.locale
    chosen = supported(session.get(SESSION_KEY))
    if chosen:
        return chosen
    return request.accept_languages.best_match(list(LANGUAGES), default=DEFAULT_LOCALE)


def current_language() -> str:
    """The current interface language as a post language code (a new post's default)."""
    return supported(str(get_locale())) or DEFAULT_LOCALE


def request_translations():  # noqa: ANN201 - babel's Translations or NullTranslations
    """Flask-Babel's translations for this request, looked up once per locale: a thread page asks
    for ~450 strings, and each of Flask-Babel's own lookups (context, domain, locale, cache) cost
    ~20 µs, a quarter of a member's page (bench/README.md). Keyed by the locale object itself, so
    `force_locale` (mail in the reader's language) gets its own."""
    state = getattr(g, "_flask_babel", None) if g else None
    locale = getattr(state, "babel_locale", None)
    kept = getattr(state, "peerdesk_translations", None)
    if kept is not None and locale is not None and kept[0] is locale:
        return kept[1]
    translations = get_translations()
    state = getattr(g, "_flask_babel", None) if g else None
    if state is not None and getattr(state, "babel_locale", None) is not None:
        state.peerdesk_translations = (state.babel_locale, translations)
    return translations


def _vary_on_language(response: Response) -> Response:
    # Pages differ by Accept-Language (visitors) and by the session cookie (the switcher's choice,
    # members' settings): a shared cache in front of the site must keep them apart.
    if response.mimetype in ("text/html", "application/atom+xml"):
        response.vary.add("Accept-Language")
        response.vary.add("Cookie")
    return response


def init_app(app: Flask) -> None:
    from app.extensions import babel

    babel.init_app(app, locale_selector=select_locale)
    # The same callables Flask-Babel installs, through the per-request lookup above.
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: request_translations().ugettext(s),
        ngettext=lambda s, p, n: request_translations().ungettext(s, p, n),
        pgettext=lambda c, s: request_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: request_translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
    app.after_request(_vary_on_language)
    app.jinja_env.globals["LANGUAGES"] = LANGUAGES
    app.jinja_env.globals["current_language"] = current_language
