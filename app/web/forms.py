"""WTForms for every page that takes input; the rules themselves live in the services."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

# Fields only say what is required; length and content rules are checked by the services, so a
# form and a CLI command or test that calls the service directly obey exactly the same rules.

_MAX_ID = 2**31 - 1  # the largest id an INTEGER column holds on PostgreSQL


def board_id(value) -> int:  # noqa: ANN001 - WTForms passes the raw form value
    """A board id from the form; text or an impossible number counts as no board chosen (0)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 0
    return number if 0 < number <= _MAX_ID else 0


# The sign-up honeypot: a field people never see (hidden by the .hp-field class, skipped by screen
# readers and the Tab key) under a name form-filling bots like. Filled in, it creates no account.
HONEYPOT_FIELD = "website"


class RegisterForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(_l("Please enter your e-mail address."))])
    display_name = StringField(_l("Display name"), validators=[DataRequired(_l("Please choose a display name."))])
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Please choose a password."))])
    website = StringField(_l("Leave this field empty"))


class LoginForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[DataRequired(_l("Please enter your e-mail address."))])
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Please enter your password."))])
    remember = BooleanField(_l("Keep me signed in on this device"))


class AskForm(FlaskForm):
    board = SelectField(_l("Board"), coerce=board_id, validate_choice=False)
    title = StringField(_l("Title"), validators=[DataRequired(_l("Please give your question a title."))])
    body = TextAreaField(_l("Your question"), validators=[DataRequired(_l("Please describe your question."))])
    tags = StringField(_l("Tags"), validators=[Optional()])
    # Product context (services/product_context.py): the product field is shown, labelled with the
    # board's own label, only in a board that asks for one.
    product = StringField(_l("Product"), validators=[Optional()])
    os_version = StringField(_l("OS / version"), validators=[Optional()])


class ReplyForm(FlaskForm):
    body = TextAreaField(_l("Your answer"), validators=[DataRequired(_l("Please write something first."))])


class CommentForm(FlaskForm):
    body = TextAreaField(_l("Comment"), validators=[DataRequired(_l("Please write a comment first."))])


class EditForm(FlaskForm):
    title = StringField(_l("Title"))
    tags = StringField(_l("Tags"))
    product = StringField(_l("Product"))
    os_version = StringField(_l("OS / version"))
    body = TextAreaField(_l("Text"), validators=[DataRequired(_l("The text cannot be empty."))])
    reason = StringField(_l("Reason for the edit (optional)"), validators=[Length(max=300)])
    base_revision = HiddenField()


class ActionForm(FlaskForm):
    """A form with no fields: it carries the CSRF token for button-only POSTs (accept, sign out)."""

