"""The audit log's filter form."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import Length, Optional, Regexp

from cpp_app.forms import PlausibleDateField


class AuditFilterForm(FlaskForm):
    """Filters on the audit log (a GET form)."""

    class Meta:
        csrf = False

    action = StringField("Action starts with", validators=[Optional(), Length(max=60)],
                         description="e.g. user. or member.update")
    entity = SelectField("Record type", validators=[Optional()])
    actor = StringField("By (email contains)", validators=[Optional(), Length(max=100)])
    station = SelectField("Station", validators=[Optional()])
    client_address = StringField(
        "From address starts with", description="e.g. 203.0.113. or 2001:db8:",
        validators=[Optional(), Length(max=45), Regexp(
            r"^[0-9A-Fa-f.:]+$", message="Give the start of an IPv4 or IPv6 address: digits, "
                                         "a to f, dots and colons only.")])
    date_from = PlausibleDateField("From", validators=[Optional()])
    date_to = PlausibleDateField("To (inclusive)", validators=[Optional()])
