"""Forms of account recovery and account settings; the rules live in services/account_recovery.py
and services/accounts.py."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField
from wtforms.validators import DataRequired


class ForgotPasswordForm(FlaskForm):
    email = EmailField("E-mail address", validators=[DataRequired("Please enter your e-mail address.")])


class ResetPasswordForm(FlaskForm):
    token = HiddenField()
    password = PasswordField("New password", validators=[DataRequired("Please choose a new password.")])


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField("Current password",
                                     validators=[DataRequired("Please enter your current password.")])
    new_password = PasswordField("New password", validators=[DataRequired("Please choose a new password.")])


class ChangeEmailForm(FlaskForm):
    email = EmailField("New e-mail address", validators=[DataRequired("Please enter the new address.")])
    password = PasswordField("Current password", validators=[DataRequired("Please enter your current password.")])


class ConfirmForm(FlaskForm):
    """The button that applies a link from a mail (a GET only shows what it will do)."""

    token = HiddenField()
