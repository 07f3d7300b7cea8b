"""Forms for stations and members."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, Regexp

from cpp_app.choices import select_choices
from cpp_app.forms import PlausibleDateField
from cpp_app.stations.fields import LanguageListField, ShieldNumberField
from cpp_app.stations.languages import language_choices
from cpp_app.stations.models import EmploymentType


class StationForm(FlaskForm):
    """A station's details."""

    code = StringField(
        "Code", validators=[DataRequired(), Length(max=20),
                            Regexp(r"^[A-Za-z0-9_-]+$",
                                   message="Use letters, digits, dashes or underscores only.")],
        description="A short unique code, e.g. NORTH or STN-03.",
    )
    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    area_served = TextAreaField("Area served", validators=[Optional(), Length(max=2000)],
                                description="Neighbourhoods, beats or boundaries it covers.")
    commander_shield = ShieldNumberField(
        "Commander (shield number)",
        description="The unit commander's shield number; leave empty if not yet assigned.",
    )
    submit = SubmitField("Save station")


class MemberForm(FlaskForm):
    """A member's details."""

    shield_number = StringField("Shield number", validators=[DataRequired(), Length(max=20)])
    first_name = StringField("First name", validators=[DataRequired(), Length(max=80)])
    last_name = StringField("Last name", validators=[DataRequired(), Length(max=80)])
    station_id = SelectField("Station", validators=[Optional()])
    employment_type = SelectField(
        "Sworn or professional", choices=EmploymentType.choices(),
        validators=[DataRequired()],
    )
    assigned_to_patrol = BooleanField("Assigned to patrol")
    languages = LanguageListField("Languages spoken")
    start_date = PlausibleDateField("Start date", validators=[Optional()])
    active = BooleanField("Active", default=True)
    submit = SubmitField("Save member")


class StationFilterForm(FlaskForm):
    """Search on the station list (a GET form)."""

    class Meta:
        csrf = False

    q = StringField("Search code or name", validators=[Optional(), Length(max=100)])


class MemberFilterForm(FlaskForm):
    """Filters on the member list (a GET form)."""

    class Meta:
        csrf = False

    q = StringField("Search name or shield", validators=[Optional(), Length(max=100)])
    station = SelectField("Station", validators=[Optional()])
    type = SelectField("Type", choices=EmploymentType.choices(blank="Any"),
                       validators=[Optional()])
    patrol = SelectField(
        "Patrol",
        choices=select_choices([("", "Any"), ("yes", "On patrol"), ("no", "Not on patrol")]),
        validators=[Optional()],
    )
    language = SelectField("Language", validators=[Optional()])
    status = SelectField(
        "Status",
        choices=select_choices([("active", "Active"), ("inactive", "Inactive"), ("all", "All")]),
        default="active", validators=[Optional()],
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.language.choices = select_choices([("", "Any"), *language_choices()])
