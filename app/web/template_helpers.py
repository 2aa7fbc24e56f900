"""Filters and globals for the templates: URLs of things, relative times and counts in the reader's
language, policies."""
from __future__ import annotations

from datetime import datetime, timezone

from babel.dates import format_timedelta
from flask import Flask, current_app, request, url_for
from flask_babel import format_datetime, format_decimal, get_locale, gettext as _, ngettext
from markupsafe import Markup

from app.models import Thread, User
from app.services import policies, ranks, review
from app.services.rules import DEFAULT_RANKS
from app.services.text import slugify
from app.web.charts import format_day

# Rank levels beyond this share the top style (rank-0 … rank-4 in site.css).
TOP_RANK_STYLE = 4


def thread_url(thread: Thread, **kwargs) -> str:
    return url_for("threads.show", thread_id=thread.id, slug=thread.slug, **kwargs)


def user_url(user: User, **kwargs) -> str:
    return url_for("users.profile", user_id=user.id, slug=slugify(user.display_name, fallback="member"), **kwargs)


def reputation_url(user: User, **kwargs) -> str:
    """The member's reputation history (paged with `page=`)."""
    return url_for("users.reputation_history", user_id=user.id, slug=slugify(user.display_name, fallback="member"),
                   **kwargs)


def _relative(moment: datetime, now: datetime) -> str:
    """"3 hours ago" in the interface language (CLDR's words and plural rules, through Babel)."""
    seconds = (now - moment).total_seconds()
    if seconds < 60:
        return _("just now")
    return format_timedelta(moment - now, add_direction=True, threshold=1, locale=get_locale())


def timeago(moment: datetime | None) -> Markup:
    """A <time> element: relative text for people, the exact time (in the reader's language's
    format) for tooltips, and the ISO time for machines."""
    if moment is None:
        return Markup("")
    now = datetime.now(timezone.utc)
    if moment.tzinfo is None:  # SQLite hands back naive datetimes; they are UTC
        moment = moment.replace(tzinfo=timezone.utc)
    exact = format_datetime(moment, "medium") + " UTC"
    return Markup('<time datetime="{}" title="{}">{}</time>').format(
        moment.isoformat(timespec="seconds"), exact, _relative(moment, now)
    )


def page_url(number: int) -> str:
    """The current URL with another page number, keeping the other query arguments."""
    args = request.args.to_dict()
    args["page"] = number
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def with_args(**changes) -> str:
    """The current URL with some query arguments changed (and the page reset)."""
    args = {k: v for k, v in request.args.to_dict().items() if k != "page"}
    args.update({k: v for k, v in changes.items() if v is not None})
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def rank(user: User) -> ranks.Rank:
    """The member's rank from their stored reputation and the configured thresholds (no query)."""
    thresholds = tuple(tuple(pair) for pair in current_app.config.get("RANK_THRESHOLDS", DEFAULT_RANKS))
    return ranks.rank_for(user.reputation or 0, thresholds)


def rank_style(level: int) -> str:
    """The CSS class for a rank level: rank-0 for the first rank up to rank-4 for the top ones."""
    return f"rank-{max(0, min(level, TOP_RANK_STYLE))}"


def signed(number: int) -> str:
    """A change of points with its sign: +10, \u221210 (a true minus sign), 0."""
    if number > 0:
        return f"+{format_decimal(number)}"
    if number < 0:
        return f"\u2212{format_decimal(-number)}"
    return "0"


def thousands(number: int | None) -> str:
    """A count with the reader's grouping: 12,345 in English, 12.345 in German."""
    return format_decimal(number or 0)


def _counted(count: int, n: str) -> dict[str, str]:
    # Each noun spelled out, so the extractor finds both forms and every language gets its own
    # plural rules (Polish has three forms).
    return {
        "thread": ngettext("%(n)s thread", "%(n)s threads", count, n=n),
        "answer": ngettext("%(n)s answer", "%(n)s answers", count, n=n),
        "other answer": ngettext("%(n)s other answer", "%(n)s other answers", count, n=n),
        "view": ngettext("%(n)s view", "%(n)s views", count, n=n),
        "kudos": ngettext("%(n)s kudos", "%(n)s kudos", count, n=n),
        "member": ngettext("%(n)s member", "%(n)s members", count, n=n),
        "post": ngettext("%(n)s post", "%(n)s posts", count, n=n),
        "earlier hidden post": ngettext("%(n)s earlier hidden post", "%(n)s earlier hidden posts", count, n=n),
        "change": ngettext("%(n)s change", "%(n)s changes", count, n=n),
        "version": ngettext("%(n)s version", "%(n)s versions", count, n=n),
    }


def plural(count: int, noun: str) -> str:
    """"1 answer", "3 answers", translated: `noun` is one of the English singulars of _counted()
    (another noun is shown untranslated after the number rather than failing the page)."""
    count = count or 0
    n = format_decimal(count)
    return _counted(count, n).get(noun) or f"{n} {noun}"


def init_app(app: Flask) -> None:
    app.add_template_filter(timeago)
    app.add_template_global(thread_url)
    app.add_template_global(user_url)
    app.add_template_global(reputation_url)
    app.add_template_global(page_url)
    app.add_template_global(with_args)
    app.add_template_global(plural)
    app.add_template_global(rank)
    app.add_template_global(rank_style)
    app.add_template_filter(signed)
    app.add_template_filter(thousands)
    app.add_template_filter(format_day, "day")
    app.add_template_global(policies, "policies")
    app.add_template_global(review.reason_label, "hide_reason")
