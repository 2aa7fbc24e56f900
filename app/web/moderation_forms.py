"""Forms of the review queue and of flagging; the rules they feed live in services/review.py and flags.py."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectChoice, SelectField, TextAreaField
from wtforms.validators import Optional

from app.services.review import HIDE_REASONS


def _reason_choices() -> list[SelectChoice]:
    return [SelectChoice("", _l("Choose a reason…")), *(SelectChoice(code, _l(label)) for code, label in HIDE_REASONS.items())]


class HideForm(FlaskForm):
    reason = SelectField(_l("Why hide it?"), choices=_reason_choices(), validate_choice=False)
    note = TextAreaField(_l("Note for the author (needed for “Other”)"), validators=[Optional()])
    next = HiddenField()


class FlagForm(FlaskForm):
    reason = SelectField(_l("What is wrong with it?"), choices=_reason_choices(), validate_choice=False)
    note = TextAreaField(_l("Anything staff should know? (needed for “Other”)"), validators=[Optional()])


class RequestEditForm(FlaskForm):
    reason = TextAreaField(_l("What should the author change?"), validators=[Optional()])
    next = HiddenField()


class NextForm(FlaskForm):
    """A button that changes something and then returns to where it was pressed."""

    next = HiddenField()
