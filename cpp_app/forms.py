"""Forms and form fields every feature shares."""

from __future__ import annotations

import re
from datetime import date

from flask_wtf import FlaskForm
from wtforms import DateField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

_ITEM_SEPARATORS = re.compile(r"[,;]")


def split_items(text: str) -> list[str]:
    """The items of a comma- or semicolon-separated list, trimmed, empty ones dropped."""
    return [item.strip() for item in _ITEM_SEPARATORS.split(text) if item.strip()]


def optional_unless_required(validators: list | None, max_length: int) -> list:
    """A field's validators: the given ones and a length limit, and Optional unless required.

    A required field gets no Optional, which would stop its required check from ever running.
    """
    validators = list(validators or [])
    required = any(isinstance(v, DataRequired | InputRequired) for v in validators)
    return ([] if required else [Optional()]) + validators + [Length(max=max_length)]


#: The dates any form takes: wide enough for every record, narrow enough that a day or a
#: window added to one stays within what Python's dates and the databases hold.
EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2199, 12, 31)


class PlausibleDateField(DateField):
    """A date field that refuses dates before 1900 or after 2199, with a message."""

    def pre_validate(self, form: FlaskForm) -> None:
        """Refuse a parsed date outside EARLIEST_DATE..LATEST_DATE."""
        super().pre_validate(form)
        if self.data is not None and not EARLIEST_DATE <= self.data <= LATEST_DATE:
            raise ValidationError(f"Enter a date from {EARLIEST_DATE.year} to {LATEST_DATE.year}.")


class ConfirmForm(FlaskForm):
    """An empty form that carries the CSRF token for a confirmed action."""

    submit = SubmitField("Confirm")


def translations_form(keys: list[str], current: dict[str, str]) -> FlaskForm:
    """A form with one optional text box per translatable text (by key), filled as saved."""

    class TranslationsForm(FlaskForm):
        """Translations of some texts into one language."""

        submit = SubmitField("Save the translations")

    for key in keys:
        setattr(TranslationsForm, key, TextAreaField(
            key, validators=[Optional(), Length(max=5000)], default=current.get(key, "")))
    return TranslationsForm()
