"""The form for creating a personal API token."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, StringField, SubmitField
from wtforms.validators import Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget


class TokenForm(FlaskForm):
    """A token's name and the scopes it may use (the service checks both)."""

    name = StringField("Name (the system that will use it)",
                       validators=[Optional(), Length(max=80)])
    scopes = SelectMultipleField("Scopes", validators=[Optional()],
                                 widget=ListWidget(prefix_label=False),
                                 option_widget=CheckboxInput())
    submit = SubmitField("Create token")
