"""The form that asks for a report PDF to be prepared."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, SubmitField
from wtforms.validators import InputRequired, Optional


class ReportRequestForm(FlaskForm):
    """Which department-wide report to prepare, and for which year."""

    report = SelectField("Report", validators=[InputRequired()])
    year = IntegerField("Year (annual report)", validators=[Optional()])
    submit = SubmitField("Prepare the PDF")
