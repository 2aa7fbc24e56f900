"""Blueprint for administrators: boards (create, rename, reorder, archive) and members' roles."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired

from app import db
from app.services import board_admin, listings, policies, roles
from app.services.errors import Forbidden, InvalidInput
from app.services.pagination import clamp_page
from app.web.form_errors import apply_errors
from app.web.session_user import viewer

bp = Blueprint("admin", __name__, url_prefix="/admin")

MEMBERS_PER_PAGE = 50
LIST_ARGS = ("q", "role", "page")  # the members list's query arguments


class BoardForm(FlaskForm):
    """A board's name, description, address and product field.

    The boards page holds one per board plus one for a new board, told apart by their prefix (so
    every field has its own id). CSRFProtect checks the token of every POST before a view runs, so
    these forms need no token field of their own; the templates send the page's token.
    """

    class Meta:
        csrf = False

    name = StringField(_l("Name"), validators=[DataRequired(_l("Please give the board a name."))])
    description = StringField(_l("Description"))
    slug = StringField(_l("Address"))
    product_label = StringField(_l("Product field"))
    # Unanswered routing (services/routing.py); text fields, so a wrong value comes back as typed.
    invite_after_hours = StringField(_l("Invite helpers after (hours)"))
    escalate_after_hours = StringField(_l("Escalate to support after (hours)"))
    escalation_email = StringField(_l("Escalation e-mail address"))
    escalation_webhook_url = StringField(_l("Escalation webhook address"))

    def routing_input(self) -> dict[str, str | None]:
        return {name: self[name].data for name in ROUTING_FIELDS}


ROUTING_FIELDS = ("invite_after_hours", "escalate_after_hours", "escalation_email", "escalation_webhook_url")


class RoleForm(FlaskForm):
    """The role chosen in a member's row of the members page (the service checks it)."""

    class Meta:
        csrf = False

    role = StringField(_l("Role"))


@bp.before_request
@login_required
def admins_only():
    """Every page here is for administrators: visitors are sent to sign in, everyone else refused."""
    if not policies.is_admin(current_user):
        raise Forbidden("These pages are for administrators only.")


# --- boards ------------------------------------------------------------------------------------


def _new_board_form(**kwargs) -> BoardForm:
    return BoardForm(prefix="new", **kwargs)


def _edit_form(board_id: int, **kwargs) -> BoardForm:
    return BoardForm(prefix=f"board-{board_id}", **kwargs)


def _boards_page(*, new_form: BoardForm | None = None, failed: tuple[int, BoardForm] | None = None,
                 status: int = 200):
    """The boards page; `failed` is one board's edit form sent back with its errors and typed values."""
    summaries = listings.board_summaries(db.session())
    edit_forms = {s.board.id: _edit_form(s.board.id, formdata=None, obj=s.board) for s in summaries}
    if failed:
        edit_forms[failed[0]] = failed[1]
    return render_template(
        "admin/boards.html", summaries=summaries, edit_forms=edit_forms,
        new_form=new_form or _new_board_form(formdata=None),
    ), status


def _board_anchor(board_id: int) -> str:
    return url_for(".boards", _anchor=f"board-{board_id}")


@bp.route("/boards")
def boards():
    return _boards_page()


@bp.route("/boards", methods=["POST"])
def create_board():
    form = _new_board_form()
    if form.validate_on_submit():
        try:
            board = board_admin.create(db.session(), viewer(), name=form.name.data,
                                       description=form.description.data, slug=form.slug.data,
                                       product_label=form.product_label.data,
                                       routing_input=form.routing_input())
        except InvalidInput as exc:
            apply_errors(form, exc)
        else:
            flash(_("The board “%(name)s” is open at %(path)s.", name=board.name, path=f"/b/{board.slug}"), "success")
            return redirect(_board_anchor(board.id))
    return _boards_page(new_form=form, status=400)


@bp.route("/boards/<int:board_id>", methods=["POST"])
def update_board(board_id: int):
    form = _edit_form(board_id)
    if form.validate_on_submit():
        try:
            board = board_admin.update(db.session(), viewer(), board_id=board_id, name=form.name.data,
                                       description=form.description.data, slug=form.slug.data,
                                       product_label=form.product_label.data or "",
                                       routing_input=form.routing_input())
        except InvalidInput as exc:
            apply_errors(form, exc)
        else:
            flash(_("Saved the board “%(name)s”.", name=board.name), "success")
            return redirect(_board_anchor(board.id))
    return _boards_page(failed=(board_id, form), status=400)


@bp.route("/boards/<int:board_id>/move", methods=["POST"])
def move_board(board_id: int):
    board_admin.move(db.session(), viewer(), board_id=board_id, direction=request.form.get("direction", ""))
    return redirect(_board_anchor(board_id))


@bp.route("/boards/<int:board_id>/archive", methods=["POST"])
def archive_board(board_id: int):
    board = board_admin.archive(db.session(), viewer(), board_id=board_id)
    flash(_("“%(name)s” is archived: it takes no new questions, and its threads stay readable.", name=board.name),
          "success")
    return redirect(_board_anchor(board.id))


@bp.route("/boards/<int:board_id>/unarchive", methods=["POST"])
def unarchive_board(board_id: int):
    board = board_admin.unarchive(db.session(), viewer(), board_id=board_id)
    flash(_("“%(name)s” takes new questions again.", name=board.name), "success")
    return redirect(_board_anchor(board.id))


# --- members' roles ----------------------------------------------------------------------------


def _member_filters() -> dict:
    """The list's search, role filter and page from the query string (unknown values are ignored)."""
    return {
        "query": request.args.get("q", ""),
        "role": request.args.get("role", ""),
        "page": clamp_page(request.args.get("page", type=int)),
    }


@bp.route("/users")
def users():
    filters = _member_filters()
    page = roles.members(db.session(), **filters, per_page=MEMBERS_PER_PAGE)
    return render_template("admin/users.html", page=page, q=filters["query"], role=filters["role"],
                           role_names=roles.ROLE_NAMES)


@bp.route("/users/<int:user_id>/role", methods=["POST"])
def set_role(user_id: int):
    # The role is chosen from a list, so a wrong one is no typing mistake to show beside a field:
    # the service's InvalidInput becomes the site's 400 page.
    form = RoleForm()
    member = roles.set_role(db.session(), viewer(), user_id=user_id, role=form.role.data or "")
    flash(_("%(name)s’s role is now “%(role)s”.", name=member.display_name, role=_(roles.ROLE_NAMES[member.role])),
          "success")
    # Back to the same search and page of the list (the form's address carries them).
    back = {name: value for name, value in request.args.items() if name in LIST_ARGS}
    return redirect(url_for(".users", **back, _anchor=f"member-{member.id}"))
