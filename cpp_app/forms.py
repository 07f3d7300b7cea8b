"""Forms and form fields every feature shares."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SubmitField


class ConfirmForm(FlaskForm):
    """An empty form that carries the CSRF token for a confirmed action."""

    submit = SubmitField("Confirm")
