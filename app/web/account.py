"""Blueprint for account recovery and settings: the forgotten-password link, changing the password,
and changing the e-mail address (confirmed by a link sent to the new address)."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, login_user

from app import db
from app.extensions import limiter
from app.services import account_recovery, accounts, mail, notifications
from app.services.account_recovery import AccountMail, LinkProblem
from app.services.errors import InvalidInput
from app.web.abuse import member_key, typed_account_key
from app.web.account_forms import (ChangeEmailForm, ChangePasswordForm, ConfirmForm, ForgotPasswordForm,
                                   NotificationMailForm, ResetPasswordForm)
from app.web.form_errors import apply_errors, translated

bp = Blueprint("account", __name__, url_prefix="/account")


def _setting(name: str):
    return lambda: current_app.config[name]


# Asking for a reset link, per address and per e-mail typed: every request counts (a request is a
# mail sent to someone). Forms that check the current password count only refusals, per member.
reset_per_address = limiter.limit(_setting("RATELIMIT_PASSWORD_RESET_ADDRESS"), key_func=get_remote_address,
                                  methods=["POST"])
reset_per_email = limiter.limit(_setting("RATELIMIT_PASSWORD_RESET_EMAIL"), key_func=typed_account_key,
                                methods=["POST"])
password_check = limiter.shared_limit(_setting("RATELIMIT_PASSWORD_CHECK"), scope="password-check",
                                      key_func=member_key, methods=["POST"],
                                      deduct_when=lambda response: response.status_code == 400)


def _external(endpoint: str, **values) -> str:
    """An absolute link for a mail: on SITE_URL when configured (the Host header can be forged)."""
    site = current_app.config.get("SITE_URL")
    return site + url_for(endpoint, **values) if site else url_for(endpoint, _external=True, **values)


def _account_mail(*, background: bool = False) -> AccountMail:
    config = current_app.config
    return AccountMail(
        secret_key=config["SECRET_KEY"],
        send=mail.sender(mail.MailSettings.from_config(config), background=background),
        reset_link=lambda token: _external("account.reset_password", token=token),
        confirm_link=lambda token: _external("account.confirm_email", token=token),
        reset_max_age=config["PASSWORD_RESET_MAX_AGE_SECONDS"],
        email_max_age=config["EMAIL_CHANGE_MAX_AGE_SECONDS"],
    )


def _link_problem(problem: LinkProblem, *, ask_again: str, ask_label: str):
    return render_template("account/link_problem.html", problem=problem, ask_again=ask_again,
                           ask_label=ask_label), 400


def _remembered() -> bool:
    return current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies


# --- forgotten password -------------------------------------------------------------------------


@bp.route("/forgot-password", methods=["GET", "POST"])
@reset_per_address
@reset_per_email
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        try:
            account_recovery.request_password_reset(db.session(), form.email.data, _account_mail(background=True))
        except InvalidInput as exc:
            apply_errors(form, exc)
        except mail.MailNotSent:
            pass  # logged; saying so would tell that an account has this address
        if not form.errors:
            flash(_("If an account uses %(email)s, we have sent it a link to choose a new password. "
                    "Check your inbox (and the spam folder) in a few minutes.", email=form.email.data.strip()), "info")
            return redirect(url_for("auth.login"))
    return render_template("account/forgot_password.html", form=form), 400 if form.errors else 200


@bp.route("/reset-password", methods=["GET", "POST"])
def reset_password():
    form = ResetPasswordForm()
    token = form.token.data or request.args.get("token", "")
    account_mail = _account_mail()
    session = db.session()
    try:
        member = account_recovery.check_reset_link(session, token, account_mail)
        if form.validate_on_submit():
            member = account_recovery.reset_password(session, token, form.password.data, account_mail)
            login_user(member)
            flash(_("Your new password is set and you are signed in. Everywhere else you were signed in, "
                    "you are signed out."), "success")
            return redirect(url_for("boards.home"))
    except LinkProblem as problem:
        return _link_problem(problem, ask_again=url_for(".forgot_password"), ask_label="Ask for a new link")
    except InvalidInput as exc:
        apply_errors(form, exc)
    form.token.data = token
    return render_template("account/reset_password.html", form=form, member=member), 400 if form.errors else 200


# --- settings: password and e-mail address -------------------------------------------------------


def _settings_page(password_form: ChangePasswordForm, email_form: ChangeEmailForm, status: int = 200,
                   mail_form: NotificationMailForm | None = None):
    mail_form = mail_form or NotificationMailForm(formdata=None,
                                                  email_notifications=current_user.email_notifications)
    return render_template("account/settings.html", password_form=password_form, email_form=email_form,
                           mail_form=mail_form), status


@bp.route("/notification-mail", methods=["POST"])
@login_required
def notification_mail():
    form = NotificationMailForm()
    if form.validate_on_submit():
        try:
            notifications.set_email_setting(db.session(), current_user._get_current_object(),
                                            form.email_notifications.data)
        except InvalidInput as exc:
            apply_errors(form, exc)
        else:
            flash(_("Your notification mail setting is saved."), "success")
            return redirect(url_for(".settings"))
    return _settings_page(ChangePasswordForm(formdata=None), ChangeEmailForm(formdata=None), 400, form)


@bp.route("")
@login_required
def settings():
    return _settings_page(ChangePasswordForm(formdata=None), ChangeEmailForm(formdata=None))


@bp.route("/password", methods=["POST"])
@login_required
@password_check
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            member = accounts.change_password(db.session(), current_user._get_current_object(),
                                              current_password=form.current_password.data,
                                              new_password=form.new_password.data)
        except InvalidInput as exc:
            apply_errors(form, exc)
        else:
            # The session's id carried the old password's stamp: sign this browser in again.
            login_user(member, remember=_remembered())
            flash(_("Your password is changed. Everywhere else you were signed in, you are signed out."), "success")
            return redirect(url_for(".settings"))
    return _settings_page(form, ChangeEmailForm(formdata=None), 400)


@bp.route("/email", methods=["POST"])
@login_required
@password_check
def change_email():
    form = ChangeEmailForm()
    status = 400
    if form.validate_on_submit():
        try:
            address = account_recovery.request_email_change(
                db.session(), current_user._get_current_object(), password=form.password.data,
                new_email=form.email.data, mail=_account_mail())
        except InvalidInput as exc:
            apply_errors(form, exc)
        except mail.MailNotSent as exc:
            form.form_errors.append(translated(exc.message))
            status = 503
        else:
            flash(_("We have sent a link to %(address)s. Your address changes when you open it; until then "
                    "it stays %(current)s.", address=address, current=current_user.email), "info")
            return redirect(url_for(".settings"))
    return _settings_page(ChangePasswordForm(formdata=None), form, status)


@bp.route("/confirm-email", methods=["GET", "POST"])
def confirm_email():
    form = ConfirmForm()
    token = form.token.data or request.args.get("token", "")
    account_mail = _account_mail()
    session = db.session()
    try:
        member, address = account_recovery.check_email_link(session, token, account_mail)
        if form.validate_on_submit():
            member = account_recovery.confirm_email_change(session, token, account_mail)
            flash(_("Your e-mail address is now %(email)s.", email=member.email), "success")
            signed_in_here = current_user.is_authenticated and current_user.id == member.id
            return redirect(url_for(".settings") if signed_in_here else url_for("auth.login"))
    except LinkProblem as problem:
        return _link_problem(problem, ask_again=url_for(".settings"), ask_label="Change your address again")
    except InvalidInput as exc:
        apply_errors(form, exc)
    form.token.data = token
    return render_template("account/confirm_email.html", form=form, member=member, address=address), \
        400 if form.errors else 200
