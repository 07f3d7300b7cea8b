"""Forms for stakeholders, outreach and volunteers."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    FormField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from cpp_app.forms import PlausibleDateField
from cpp_app.outreach.models import OutreachMethod, StakeholderKind
from cpp_app.stations.fields import LanguageListField, ShieldNumberListField

CONTACT_ROWS = 3


class ContactForm(FlaskForm):
    """A contact person (a sub-form, without its own CSRF token)."""

    class Meta:
        csrf = False

    name = StringField("Name", validators=[Optional(), Length(max=120)])
    role = StringField("Role", validators=[Optional(), Length(max=120)])
    email = StringField("Email", validators=[Optional(), Length(max=254)])
    phone = StringField("Phone", validators=[Optional(), Length(max=40)])


class StakeholderForm(FlaskForm):
    """An organisation in a station's directory."""

    station_id = SelectField("Station", validators=[DataRequired()])
    name = StringField("Organisation", validators=[DataRequired(), Length(max=200)])
    kind = SelectField("Kind", choices=StakeholderKind.choices(),
                       validators=[DataRequired()])
    languages = LanguageListField("Languages served")
    may_distrust_police = BooleanField(
        "Speaks for a community that may distrust police (tracked for outreach coverage)")
    notes = TextAreaField("Notes", validators=[Optional(), Length(max=5000)])
    active = BooleanField("Active", default=True)
    contacts = FieldList(FormField(ContactForm), min_entries=CONTACT_ROWS,
                         max_entries=CONTACT_ROWS)
    submit = SubmitField("Save the stakeholder")


class OutreachForm(FlaskForm):
    """One outreach to a stakeholder."""

    stakeholder_id = SelectField("Stakeholder", validators=[DataRequired()])
    contacted_on = PlausibleDateField("Date", validators=[DataRequired()])
    method = SelectField("Method", choices=OutreachMethod.choices(),
                         validators=[DataRequired()])
    member_shields = ShieldNumberListField(
        "Members involved (shield numbers, separated by commas)")
    purpose = TextAreaField("Purpose", validators=[DataRequired(), Length(max=5000)])
    outcome = TextAreaField("Outcome", validators=[Optional(), Length(max=5000)])
    critical_comments = TextAreaField("Critical comments heard",
                                      validators=[Optional(), Length(max=5000)])
    critical_response = TextAreaField("How they are being worked on",
                                      validators=[Optional(), Length(max=5000)])
    follow_up_on = PlausibleDateField("Follow up by", validators=[Optional()])
    submit = SubmitField("Log the outreach")


class VolunteerForm(FlaskForm):
    """A volunteer who speaks languages."""

    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    station_id = SelectField(
        "Station", description="A station's volunteers are seen and kept by that station; "
                               "department-wide ones are seen by everyone and kept by "
                               "department-wide roles.")
    languages = LanguageListField("Languages spoken", validators=[DataRequired(
        "Give at least one language the volunteer speaks.")])
    email = StringField("Email", validators=[Optional(), Length(max=254)])
    phone = StringField("Phone", validators=[Optional(), Length(max=40)])
    notes = TextAreaField("Notes", validators=[Optional(), Length(max=2000)])
    active = BooleanField("Active", default=True)
    submit = SubmitField("Save the volunteer")
