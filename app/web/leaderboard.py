"""Blueprint for the leaderboard: top helpers by reputation earned or solutions, per period and board."""
from __future__ import annotations

from flask import Blueprint, render_template, request

from app import db
from app.services import leaderboard, listings

bp = Blueprint("leaderboard", __name__)

LIMIT = 20


def _choice(name: str, allowed: tuple[str, ...]) -> str:
    """A query argument if it is one of the allowed values, else the first (the default)."""
    value = request.args.get(name, "")
    return value if value in allowed else allowed[0]


@bp.route("/leaderboard")
def index():
    session = db.session()
    measure = _choice("measure", leaderboard.MEASURES)
    period = _choice("period", leaderboard.PERIODS)
    boards = listings.boards(session)
    wanted = request.args.get("board", "")
    board = next((b for b in boards if b.slug == wanted), None)  # unknown or empty: all boards
    entries = leaderboard.top(session, measure=measure, period=period,
                              board_id=board.id if board else None, limit=LIMIT)
    return render_template("leaderboard/index.html", entries=entries, measure=measure, period=period,
                           board=board, boards=boards)
