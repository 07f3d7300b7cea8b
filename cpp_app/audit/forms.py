"""The audit log's filter form."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField
from wtforms.validators import Length, Optional


class AuditFilterForm(FlaskForm):
    """Filters on the audit log (a GET form)."""

    class Meta:
        csrf = False

    action = StringField("Action starts with", validators=[Optional(), Length(max=60)],
                         description="e.g. user. or member.update")
    entity = SelectField("Record type", validators=[Optional()])
    actor = StringField("By (email contains)", validators=[Optional(), Length(max=100)])
    station = SelectField("Station", validators=[Optional()])
    date_from = DateField("From", validators=[Optional()])
    date_to = DateField("To (inclusive)", validators=[Optional()])
