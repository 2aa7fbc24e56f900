"""Blueprint for staff actions on whole threads (lock, move, merge) and on members (suspension).

The thread actions are small forms in the staff tools on the thread page: a mistake there is
flashed and the moderator is sent back to the thread. The member page re-renders its suspend
form with the messages (status 400), keeping what was typed.
"""
from __future__ import annotations

import re

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import format_datetime, gettext as _, lazy_gettext as _l, lazy_ngettext
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired

from app import db
from app.models import Board, User
from app.services import audit, policies, review, suspension, thread_moderation, thread_view
from app.services.errors import Forbidden, InvalidInput, NotFound
from app.web.form_errors import apply_errors, error_text
from app.web.forms import ActionForm, board_id
from app.web.template_helpers import thread_url
from app.web.threads import reputation_rules

bp = Blueprint("moderation_threads", __name__, url_prefix="/moderation")

# The periods offered on the member page (the service accepts any whole number of days up to ten years).
SUSPENSION_PERIODS = [SelectChoice(days, lazy_ngettext("%(num)s day", "%(num)s days", days))
                      for days in (1, 3, 7, 30, 90, 365)]
LOG_ON_MEMBER_PAGE = 20
HIDDEN_ON_MEMBER_PAGE = 50
_MAX_ID = 2**31 - 1
# A thread named by its number ("123", "#123") or its address ("/t/123", "https://host/t/123-slug?page=2").
_THREAD_REFERENCE = re.compile(r"#?([0-9]+)|(?:[a-z][a-z0-9+.-]*://[^/\s]+)?/?t/([0-9]+)(?:-[^/?#\s]*)?/?(?:[?#]\S*)?",
                               re.IGNORECASE)


def thread_id_from(text: str | None) -> int | None:
    """The thread id in what a moderator typed or pasted, or None when it names no thread."""
    match = _THREAD_REFERENCE.fullmatch((text or "").strip())
    if match is None:
        return None
    number = int(match.group(1) or match.group(2))
    return number if 0 < number <= _MAX_ID else None


def _days(value) -> int:  # noqa: ANN001 - WTForms passes the raw form value
    """The chosen period; anything that is not a whole number counts as none (0), which the service refuses."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


class MoveForm(FlaskForm):
    board_id = SelectField(_l("Move to board"), coerce=board_id, validate_choice=False)


class MergeForm(FlaskForm):
    target = StringField(_l("Merge into thread"))  # what it may be is up to thread_id_from()


class SuspendForm(FlaskForm):
    days = SelectField(_l("Suspend for"), choices=SUSPENSION_PERIODS, coerce=_days, default=7, validate_choice=False)
    reason = TextAreaField(_l("Reason (the member sees it)"), validators=[
        DataRequired(_l("Please tell the member why they are suspended."))])


@bp.app_template_global()
def moderation_boards() -> list[Board]:
    """Boards a thread can be moved to, for the staff tools on the thread page."""
    return thread_moderation.move_targets(db.session())


def _require_staff() -> None:
    if not policies.is_staff(current_user):
        raise Forbidden("This page is for staff only.")


def _require_form(form: FlaskForm) -> None:
    if not form.validate_on_submit():
        abort(400)


def _back_to_thread(thread_id: int, message: str):
    """Tell the moderator what was wrong, on the thread they were working on."""
    flash(message, "error")
    return redirect(thread_url(thread_view.load_thread(db.session(), thread_id)))


# --- threads -----------------------------------------------------------------------------------


@bp.route("/threads/<int:thread_id>/lock", methods=["POST"])
@login_required
def lock(thread_id: int):
    _require_staff()
    _require_form(ActionForm())
    thread = thread_moderation.lock(db.session(), current_user, thread_id=thread_id)
    flash(_("The thread is locked: only staff can answer, comment or edit in it now."), "success")
    return redirect(thread_url(thread))


@bp.route("/threads/<int:thread_id>/unlock", methods=["POST"])
@login_required
def unlock(thread_id: int):
    _require_staff()
    _require_form(ActionForm())
    thread = thread_moderation.unlock(db.session(), current_user, thread_id=thread_id)
    flash(_("The thread is unlocked: members can answer and comment again."), "success")
    return redirect(thread_url(thread))


@bp.route("/threads/<int:thread_id>/move", methods=["POST"])
@login_required
def move(thread_id: int):
    _require_staff()
    form = MoveForm()
    _require_form(form)
    try:
        thread = thread_moderation.move(db.session(), current_user, thread_id=thread_id, board_id=form.board_id.data)
    except InvalidInput as exc:
        return _back_to_thread(thread_id, error_text(exc))
    board = db.session().get(Board, thread.board_id)
    flash(_("The thread is now in the board “%(name)s”.", name=board.name), "success")
    return redirect(thread_url(thread))


@bp.route("/threads/<int:thread_id>/merge", methods=["POST"])
@login_required
def merge(thread_id: int):
    _require_staff()
    form = MergeForm()
    _require_form(form)
    target_id = thread_id_from(form.target.data)
    if target_id is None:
        typed = (form.target.data or "").strip()
        return _back_to_thread(thread_id, (f"“{typed}” names no thread. " if typed else "") +
                               "Please give the number of the thread to merge this one into (like 123), "
                               "or paste its address (like https://…/t/123-title).")
    try:
        target = thread_moderation.merge(db.session(), current_user, source_id=thread_id, target_id=target_id,
                                         rules=reputation_rules())
    except (InvalidInput, NotFound) as exc:
        # A thread that is not there can only be the one the moderator named: the other is the page
        # they came from (and _back_to_thread answers 404 if even that is gone).
        return _back_to_thread(thread_id, error_text(exc))
    flash(_("Merged into “%(title)s”. The old thread's address now leads here.", title=target.title), "success")
    return redirect(thread_url(target))


# --- members -----------------------------------------------------------------------------------


def _render_member(user_id: int, form: SuspendForm, status: int = 200):
    session = db.session()
    member = session.get(User, user_id)
    if member is None:
        raise NotFound("There is no such member.")
    return render_template(
        "moderation/member.html", member=member, form=form,
        hidden=suspension.hidden_posts(session, member.id, limit=HIDDEN_ON_MEMBER_PAGE),
        hidden_limit=HIDDEN_ON_MEMBER_PAGE,
        log=audit.entries(session, member_id=member.id, per_page=LOG_ON_MEMBER_PAGE),
        actions=audit.ACTIONS, reason_label=review.reason_label,
    ), status


@bp.route("/members/<int:user_id>")
@login_required
def member(user_id: int):
    _require_staff()
    return _render_member(user_id, SuspendForm(formdata=None))


@bp.route("/members/<int:user_id>/suspend", methods=["POST"])
@login_required
def suspend(user_id: int):
    _require_staff()
    form = SuspendForm()
    if form.validate_on_submit():
        try:
            user = suspension.suspend(db.session(), current_user, user_id=user_id, days=form.days.data,
                                      reason=form.reason.data)
        except InvalidInput as exc:
            apply_errors(form, exc)
        else:
            flash(_("%(name)s is suspended until %(until)s UTC.", name=user.display_name,
                    until=format_datetime(user.suspended_until, "yyyy-MM-dd HH:mm")), "success")
            return redirect(url_for("moderation_threads.member", user_id=user.id))
    return _render_member(user_id, form, status=400)


@bp.route("/members/<int:user_id>/unsuspend", methods=["POST"])
@login_required
def unsuspend(user_id: int):
    _require_staff()
    _require_form(ActionForm())
    user = suspension.unsuspend(db.session(), current_user, user_id=user_id)
    flash(_("%(name)s can post again.", name=user.display_name), "success")
    return redirect(url_for("moderation_threads.member", user_id=user.id))
