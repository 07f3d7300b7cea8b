"""The form for creating a personal API token."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectMultipleField, StringField, SubmitField
from wtforms.validators import Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from cpp_app.api.models import DEFAULT_TOKEN_DAYS, MAX_TOKEN_DAYS


class TokenForm(FlaskForm):
    """A token's name, the scopes it may use and how long it lasts (the service checks all)."""

    name = StringField("Name (the system that will use it)",
                       validators=[Optional(), Length(max=80)])
    scopes = SelectMultipleField("Scopes", validators=[Optional()],
                                 widget=ListWidget(prefix_label=False),
                                 option_widget=CheckboxInput())
    days = IntegerField(f"Expires after (days, at most {MAX_TOKEN_DAYS})",
                        default=DEFAULT_TOKEN_DAYS,
                        validators=[Optional(), NumberRange(min=1, max=MAX_TOKEN_DAYS)])
    submit = SubmitField("Create token")
