"""Blueprint for the support dashboard (staff only): the page, its bar charts and a CSV per table.

The figures come from app/services/dashboard.py; here they are only drawn (server-rendered SVG,
styled by classes in static/css/dashboard.css, since the CSP allows no inline style) and exported.
"""
from __future__ import annotations

import csv
import io
from datetime import date
from typing import Sequence

from flask import Blueprint, Response, abort, render_template, request
from flask_babel import format_date, gettext as _
from flask_login import current_user, login_required

from app import db
from app.db import utcnow
from app.services import dashboard as figures
from app.services import deflection, policies
from app.services.errors import Forbidden
from app.web.charts import BarChart, Series, bar_chart
from app.web.deflection import abandon_after
from app.web.template_helpers import thread_url

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")

DASH = "\u2014"
# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@bp.before_request
@login_required
def staff_only():
    if not policies.is_staff(current_user):
        raise Forbidden("The support dashboard is for staff only.")


# --- formatting --------------------------------------------------------------------------------


def duration(seconds: float | None) -> str:
    """A wait as people say it: "12 min", "3 h 20 min", "2 d 5 h"; "—" when nothing was measured."""
    if seconds is None:
        return DASH
    minutes = int(round(seconds / 60))
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        return _("%(d)s d %(h)s h", d=days, h=hours) if hours else _("%(d)s d", d=days)
    if hours:
        return _("%(h)s h %(m)s min", h=hours, m=minutes) if minutes else _("%(h)s h", h=hours)
    return _("%(m)s min", m=minutes)


def percent(rate: figures.Rate) -> str:
    """A share in whole percent, or "—" when there was nothing to count (not a misleading 0%)."""
    return DASH if rate.value is None else _("%(p)s%%", p=round(rate.value * 100))


def short_day(day: date) -> str:
    return format_date(day, "d MMM")


def bucket_label(bucket: figures.Bucket) -> str:
    if bucket.first_day == bucket.last_day:
        return short_day(bucket.first_day)
    return f"{short_day(bucket.first_day)}\u2013{short_day(bucket.last_day)}"


# --- charts ------------------------------------------------------------------------------------


def activity_chart(buckets: Sequence[figures.Bucket]) -> BarChart:
    labels = [bucket_label(b) for b in buckets]
    return bar_chart(labels, [
        Series("bar-asked", [b.asked for b in buckets], lambda day, n: _("%(day)s: %(n)s asked", day=day, n=int(n))),
        Series("bar-solved", [b.solved for b in buckets], lambda day, n: _("%(day)s: %(n)s solved", day=day, n=int(n))),
    ])


def wait_chart(buckets: Sequence[figures.Bucket]) -> BarChart:
    labels = [bucket_label(b) for b in buckets]
    hours = [None if b.first_answer_seconds is None else b.first_answer_seconds / 3600 for b in buckets]
    return bar_chart(labels, [
        Series("bar-wait", hours,
               lambda day, h: _("%(day)s: median %(wait)s to a first answer", day=day, wait=duration(h * 3600))),
    ], tick_label=lambda v: _("%(h)s h", h=v))


# --- the page and the exports ------------------------------------------------------------------


def _filters(boards) -> tuple[int | None, int, list[str]]:  # noqa: ANN001
    """The board and period asked for; an unknown value falls back to the default, with a note why."""
    problems = []
    raw_days = request.args.get("days", str(figures.DEFAULT_PERIOD))
    days = next((n for n in figures.PERIODS if str(n) == raw_days), None)
    if days is None:
        problems.append(_("Choose a period of 7, 30 or 90 days; showing 30 days."))
        days = figures.DEFAULT_PERIOD
    board_id = None
    raw = request.args.get("board", "")
    if raw not in ("", "all"):
        board_id = next((b.id for b in boards if str(b.id) == raw), None)
        if board_id is None:
            problems.append(_("There is no such board; showing all boards."))
    return board_id, days, problems


def _load():
    session = db.session()
    boards = figures.board_choices(session)
    board_id, days, problems = _filters(boards)
    return figures.dashboard(session, board_id, days, utcnow()), boards, problems


@bp.route("")
def index():
    dash, boards, problems = _load()
    return render_template(
        "dashboard/index.html", dash=dash, boards=boards, problems=problems, periods=figures.PERIODS,
        board=next((b for b in boards if b.id == dash.board_id), None),
        activity=activity_chart(dash.buckets), wait=wait_chart(dash.buckets),
        duration=duration, percent=percent, bucket_label=bucket_label,
        coverage_views=figures.COVERAGE_VIEWS, me_too_weight=figures.ME_TOO_WEIGHT,
        **_deflection_figures(dash),
    )


def _deflection_figures(dash: figures.Dashboard) -> dict:
    """The "Deflection" section (templates/dashboard/_deflection.html), for the same board and period."""
    session = db.session()
    return {"funnel": deflection.funnel(session, dash.board_id, dash.period, abandon_after()),
            "helpfulness": deflection.helpfulness(session, dash.board_id, dash.period, limit=figures.LIST_LIMIT),
            "abandon_minutes": int(abandon_after().total_seconds() // 60)}


def _summary(dash: figures.Dashboard) -> tuple[list[str], list[list]]:
    rows = [
        [_("Threads asked"), dash.asked],
        [_("Solve rate"), percent(dash.solve_rate)],
        [_("Median time to first answer"), duration(dash.first_answer_seconds)],
        [_("Median time to solution"), duration(dash.solution_seconds)],
        [_("First answers from the community"), percent(dash.first_answers.community_share)],
        [_("First answers from staff"), percent(dash.first_answers.staff_share)],
        [_("Solutions from the community"), percent(dash.solutions.community_share)],
        [_("Solutions from staff"), percent(dash.solutions.staff_share)],
        [_("Posts waiting for review"), dash.backlog],
        [_("Oldest unreviewed post waiting"),
         duration(dash.oldest_unreviewed_age.total_seconds() if dash.oldest_unreviewed_age else None)],
        [_("Reviewed before %(n)s views", n=figures.COVERAGE_VIEWS), percent(dash.coverage)],
        [_("Median review delay"), duration(dash.review_delay_seconds)],
        [_("Unanswered threads"), dash.unanswered_total],
    ]
    return [_("Figure"), _("Value")], rows


def _activity(dash):  # noqa: ANN001, ANN202
    return ([_("From"), _("To"), _("Asked"), _("Solved"), _("First answers"), _("Median time to first answer (minutes)")],
            [[b.first_day.isoformat(), b.last_day.isoformat(), b.asked, b.solved, b.first_answers,
              None if b.first_answer_seconds is None else round(b.first_answer_seconds / 60)] for b in dash.buckets])


def _unanswered(dash):  # noqa: ANN001, ANN202
    return ([_("Thread"), _("Board"), _("Asked at"), _("Views"), _("I have this question too"), _("Address")],
            [[t.title, t.board.name, t.created_at.isoformat(timespec="minutes"), t.view_count, t.me_too_count,
              thread_url(t, _external=True)] for t in dash.unanswered])


def _boards(dash):  # noqa: ANN001, ANN202
    return [_("Board"), _("Threads asked")], [[row.board.name, row.asked] for row in dash.busiest]


def _helpers(dash):  # noqa: ANN001, ANN202
    return ([_("Member"), _("Accepted answers"), _("Kudos received"), _("Total")],
            [[h.user.display_name, h.accepted, h.kudos, h.score] for h in dash.helpers])


def _trending(dash):  # noqa: ANN001, ANN202
    return ([_("Thread"), _("Board"), _("Me too this week"), _("Me too the week before"),
             _("Views this week"), _("Views the week before"), _("Address")],
            [[t.thread.title, t.thread.board.name, t.me_too_this_week, t.me_too_last_week, t.views_this_week,
              t.views_last_week, thread_url(t.thread, _external=True)] for t in dash.trending])


def _trending_products(dash):  # noqa: ANN001, ANN202
    return ([_("Product"), _("Trending threads"), _("Trending score")],
            [[row.product, row.threads, row.score] for row in dash.trending_by_product])


def _helpfulness(dash):  # noqa: ANN001, ANN202
    rows = deflection.helpfulness(db.session(), dash.board_id, dash.period)
    return ([_("Thread"), _("Board"), _("Yes"), _("No"), _("Share of yes"), _("Address")],
            [[r.thread.title, r.thread.board.name, r.yes, r.no, percent(r.share_yes),
              thread_url(r.thread, _external=True)] for r in rows])


EXPORTS = {"summary": _summary, "activity": _activity, "unanswered": _unanswered, "boards": _boards,
           "helpers": _helpers, "trending": _trending, "products": _trending_products, "helpfulness": _helpfulness}


def safe_cell(value: object) -> object:
    """Text a spreadsheet would run as a formula gets a leading apostrophe; numbers stay numbers."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def to_csv(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([safe_cell(h) for h in headers])
    writer.writerows([safe_cell(cell) for cell in row] for row in rows)
    return out.getvalue()


@bp.route("/<name>.csv")
def export(name: str):
    table = EXPORTS.get(name)
    if table is None:
        abort(404)
    dash, boards, _problems = _load()
    board = next((b for b in boards if b.id == dash.board_id), None)
    filename = f"peerdesk-{name}-{dash.period.days}d-{board.slug if board else 'all-boards'}-{dash.period.last_day}.csv"
    return Response(to_csv(*table(dash)), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
