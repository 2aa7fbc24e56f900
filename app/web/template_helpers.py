"""Filters and globals for the templates: URLs of things, relative times, policies."""
from __future__ import annotations

from datetime import datetime, timezone

from flask import Flask, current_app, request, url_for
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
    seconds = int((now - moment).total_seconds())
    if seconds < 60:
        return "just now"
    for unit, size in (("year", 31_536_000), ("month", 2_592_000), ("day", 86_400), ("hour", 3_600), ("minute", 60)):
        if seconds >= size:
            count = seconds // size
            return f"{count} {unit}{'s' if count != 1 else ''} ago"
    return "just now"


def timeago(moment: datetime | None) -> Markup:
    """A <time> element: relative text for people, the exact UTC time for machines and tooltips."""
    if moment is None:
        return Markup("")
    now = datetime.now(timezone.utc)
    exact = moment.strftime("%Y-%m-%d %H:%M UTC")
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
        return f"+{number:,}"
    if number < 0:
        return f"\u2212{-number:,}"
    return "0"


def thousands(number: int | None) -> str:
    return f"{number or 0:,}"


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    return f"{count:,} {singular if count == 1 else (plural_form or singular + 's')}"


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
