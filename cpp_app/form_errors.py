"""A form sent back with errors: the summary's links to each field, and the page marked so."""

from __future__ import annotations

from dataclasses import dataclass

from flask import g, has_request_context
from wtforms import Field, Form
from wtforms.fields import FieldList, FormField, RadioField


@dataclass(frozen=True)
class FieldError:
    """One error in a form's summary: the message and the id of the input it is about."""

    message: str
    target_id: str = ""
    label: str = ""


def mark_form_errors() -> None:
    """Note that this request's page shows a form with errors (its title starts "Error: ")."""
    if has_request_context():
        g.form_has_errors = True


def form_has_errors() -> bool:
    """Whether this request's page shows a form sent back with errors."""
    return bool(has_request_context() and g.get("form_has_errors"))


def error_links(form: Form) -> list[FieldError]:
    """Every error of the form, the whole form's first, each field's with the input to focus."""
    found = [FieldError(str(message)) for message in getattr(form, "form_errors", [])]
    for field in form:
        found.extend(_field_errors(field, ""))
    return found


def _field_errors(field: Field, prefix: str) -> list[FieldError]:
    if isinstance(field, FieldList):
        found = []
        for number, entry in enumerate(field.entries, start=1):
            found.extend(_field_errors(entry, f"{prefix}{field.label.text} {number}: "))
        return found
    if isinstance(field, FormField):
        return [error for sub in field for error in _field_errors(sub, prefix)]
    if not field.errors:
        return []
    label = prefix + (field.label.text if field.label else field.name)
    hidden = field.widget.input_type == "hidden" if hasattr(field.widget, "input_type") else False
    target = "" if hidden else _input_id(field)
    return [FieldError(str(message), target, "" if hidden else label)
            for message in field.errors]


def _input_id(field: Field) -> str:
    """The id of the input a link to the field should focus (a radio group's first option)."""
    if isinstance(field, RadioField):
        return f"{field.id}-0"
    return field.id
