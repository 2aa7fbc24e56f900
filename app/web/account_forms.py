"""Forms of account recovery and account settings; the rules live in services/account_recovery.py
and services/accounts.py."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField, RadioField, SelectChoice
from wtforms.validators import DataRequired


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(_l("Please enter your e-mail address."))])


class ResetPasswordForm(FlaskForm):
    token = HiddenField()
    password = PasswordField(_l("New password"), validators=[DataRequired(_l("Please choose a new password."))])


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"),
                                     validators=[DataRequired(_l("Please enter your current password."))])
    new_password = PasswordField(_l("New password"), validators=[DataRequired(_l("Please choose a new password."))])


class ChangeEmailForm(FlaskForm):
    email = EmailField(_l("New e-mail address"), validators=[DataRequired(_l("Please enter the new address."))])
    password = PasswordField(_l("Current password"), validators=[DataRequired(_l("Please enter your current password."))])


class NotificationMailForm(FlaskForm):
    """How notification mail comes (services/notifications.py, EMAIL_SETTINGS)."""

    email_notifications = RadioField(_l("Notification mail"), choices=[
        SelectChoice("immediate", _l("At once: one mail per notification")),
        SelectChoice("daily", _l("A daily digest: at most one mail a day")),
        SelectChoice("off", _l("None: only the bell on the site")),
    ], validators=[DataRequired(_l("Please choose one of the settings."))])


class ConfirmForm(FlaskForm):
    """The button that applies a link from a mail (a GET only shows what it will do)."""

    token = HiddenField()
