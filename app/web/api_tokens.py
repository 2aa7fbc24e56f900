"""Blueprint for a member's personal API tokens (Account settings → API tokens): list, create
(the token is shown once, on the answer to the form), revoke."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired

from app import db
from app.services import api_tokens
from app.services.errors import InvalidInput
from app.web.form_errors import apply_errors
from app.web.forms import ActionForm

bp = Blueprint("api_tokens", __name__, url_prefix="/account/tokens")


class TokenForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(_l("Please give the token a name."))])


def _page(form: TokenForm, *, new_token: api_tokens.NewToken | None = None, status: int = 200):
    tokens = api_tokens.active_tokens(db.session(), current_user)
    response = render_template("account/api_tokens.html", form=form, tokens=tokens, new_token=new_token,
                               action_form=ActionForm())
    headers = {"Cache-Control": "no-store"}  # the page may show a token: no cache may keep it
    return response, status, headers


@bp.get("")
@login_required
def index():
    return _page(TokenForm(formdata=None))


@bp.post("")
@login_required
def create():
    form = TokenForm()
    if form.validate_on_submit():
        try:
            new_token = api_tokens.create(db.session(), current_user, name=form.name.data)
        except InvalidInput as exc:
            apply_errors(form, exc)
        else:
            return _page(TokenForm(formdata=None), new_token=new_token, status=201)
    return _page(form, status=400)


@bp.post("/<int:token_id>/revoke")
@login_required
def revoke(token_id: int):
    if not ActionForm().validate_on_submit():
        abort(400)
    token = api_tokens.revoke(db.session(), current_user, token_id=token_id)
    flash(_("The token “%(name)s” is revoked: it no longer works.", name=token.name), "info")
    return redirect(url_for("api_tokens.index"))
