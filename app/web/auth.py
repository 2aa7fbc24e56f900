"""Blueprint for registering, signing in and signing out."""
from __future__ import annotations

import logging
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from app import db
from app.services import accounts
from app.services.errors import InvalidInput
from app.web import abuse
from app.web.forms import ActionForm, LoginForm, RegisterForm
from app.web.form_errors import apply_errors

bp = Blueprint("auth", __name__)
log = logging.getLogger(__name__)
# What a bot that filled the honeypot is told: what any refused sign-up could be told, no reason.
HONEYPOT_MESSAGE = "We could not create an account with these details. Please check them and try again."


def safe_next(target: str | None) -> str | None:
    """A `next` address only if it stays on this site: a path, never a scheme or another host."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or any(ord(ch) < 32 for ch in target):
        return None
    return target


@bp.route("/register", methods=["GET", "POST"])
@abuse.sign_up
def register():
    if current_user.is_authenticated:
        return redirect(url_for("boards.home"))
    form = RegisterForm()
    if form.validate_on_submit() and form.website.data:  # the honeypot: only a bot fills it in
        log.info("Sign-up refused: the honeypot field was filled in (address %s)", request.remote_addr)
        form.website.data = ""  # a person whose browser filled it in by mistake can send the form again
        form.form_errors.append(HONEYPOT_MESSAGE)
    elif form.is_submitted() and not form.errors:  # validated above, honeypot empty
        try:
            user = accounts.register(db.session(), email=form.email.data, display_name=form.display_name.data,
                                     password=form.password.data)
        except InvalidInput as exc:
            apply_errors(form, exc)
        else:
            login_user(user)
            flash(_("Welcome to the community, %(name)s!", name=user.display_name), "success")
            return redirect(safe_next(request.args.get("next")) or url_for("boards.home"))
    return render_template("auth/register.html", form=form), 400 if form.errors else 200


@bp.route("/login", methods=["GET", "POST"])
@abuse.sign_in_per_address
@abuse.sign_in_per_account
def login():
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")) or url_for("boards.home"))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = accounts.authenticate(db.session(), email=form.email.data, password=form.password.data)
        except InvalidInput as exc:
            apply_errors(form, exc)
        else:
            login_user(user, remember=form.remember.data)
            flash(_("Signed in as %(name)s.", name=user.display_name), "success")
            return redirect(safe_next(request.args.get("next")) or url_for("boards.home"))
    return render_template("auth/login.html", form=form), 400 if form.errors else 200


@bp.route("/logout", methods=["POST"])
def logout():
    if ActionForm().validate_on_submit():
        logout_user()
        flash(_("You are signed out."), "info")
    return redirect(url_for("boards.home"))
