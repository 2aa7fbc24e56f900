"""Putting a service's InvalidInput messages onto the matching form fields."""
from __future__ import annotations

from flask_wtf import FlaskForm

from app.services.errors import InvalidInput


def apply_errors(form: FlaskForm, error: InvalidInput) -> None:
    """Attach each message to its field; messages for fields the form lacks go to form_errors."""
    for name, messages in error.errors.items():
        field = form._fields.get(name)
        if field is not None:
            field.errors = list(field.errors) + list(messages)
        else:
            form.form_errors.extend(messages)
    if not error.errors and error.message:
        form.form_errors.append(error.message)
