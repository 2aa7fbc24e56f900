"""Showing a service's error messages: on the matching form fields, and in the reader's language.

Services speak English and take no locale. The literal messages they raise are extracted into the
catalogs by keyword (see the Makefile's `translations` target), so the web layer translates them
here at display time; a message with no catalog entry (one built with an f-string) stays English.
"""
from __future__ import annotations

from flask_babel import gettext
from flask_wtf import FlaskForm

from app.services.errors import InvalidInput, ServiceError


def translated(message: str) -> str:
    """One service message in the reader's language (gettext("") would answer the catalog header)."""
    return gettext(message) if message else message


def error_text(error: ServiceError) -> str:
    """The whole error as one translated line; InvalidInput's messages are translated one by one."""
    if isinstance(error, InvalidInput) and error.errors:
        return "; ".join(translated(m) for messages in error.errors.values() for m in messages)
    return translated(error.message)


def apply_errors(form: FlaskForm, error: InvalidInput) -> None:
    """Attach each message to its field; messages for fields the form lacks go to form_errors."""
    for name, messages in error.errors.items():
        messages = [translated(m) for m in messages]
        field = form._fields.get(name)
        if field is not None:
            field.errors = list(field.errors) + messages
        else:
            form.form_errors.extend(messages)
    if not error.errors and error.message:
        form.form_errors.append(translated(error.message))
