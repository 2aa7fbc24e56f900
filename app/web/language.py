"""The language switcher: /language shows the choice, POST /language stores it.

A member's choice goes on their account (users.locale), so it follows them to every device; a
visitor's stays in their session. Either way the browser is sent back to the page it came from.
Members post straight from the footer; a visitor's pages are shared and hold no CSRF token
(app/web/page_cache.py), so the footer sends them to the GET page, whose form has one.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, redirect, render_template, request, session, url_for
from flask_babel import force_locale
from flask_login import current_user

from app import db
from app.i18n import SESSION_KEY, current_language, supported

bp = Blueprint("language", __name__)


def _back_to(target: str | None) -> str:
    """A path on this site to return to; anything else (another site, odd input) goes home."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("boards.home")


@bp.route("/language", methods=["GET", "POST"])
def choose():
    if request.method == "GET":
        wanted = supported(request.args.get("locale")) or current_language()
        # Shown in the language picked, so the visitor can tell it is the one they meant.
        with force_locale(wanted):
            return render_template("language/choose.html", wanted=wanted, back=_back_to(request.args.get("next")))
    code = supported(request.form.get("locale"))
    if code is not None:
        if current_user.is_authenticated:
            current_user.locale = code  # the member was loaded in this request's database session
            db.session().commit()
        session[SESSION_KEY] = code
    return redirect(_back_to(request.form.get("next")), code=303)
