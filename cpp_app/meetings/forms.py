"""Forms for meetings, their languages and interpreters, and their feedback."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    FieldList,
    FormField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from cpp_app.forms import PlausibleDateField
from cpp_app.meetings.models import FeedbackTone, InterpreterStatus, MeetingKind
from cpp_app.stations.fields import LanguageField, ShieldNumberField

LANGUAGE_ROWS = 4


class LanguageNeedForm(FlaskForm):
    """One language the meeting needed (a sub-form, without its own CSRF token)."""

    class Meta:
        csrf = False

    language = LanguageField("Language (name or code)")
    status = SelectField("Interpreter", choices=InterpreterStatus.choices(),
                         validators=[Optional()])
    interpreter_shield = ShieldNumberField("Interpreter's shield number (a member)")
    interpreter_name = StringField("or the volunteer's name",
                                   validators=[Optional(), Length(max=120)])


class MeetingForm(FlaskForm):
    """A community meeting."""

    station_id = SelectField("Station", validators=[DataRequired()])
    title = StringField("Title", validators=[DataRequired(), Length(max=200)])
    held_on = PlausibleDateField("Date", validators=[DataRequired()])
    start_time = TimeField("Start time (local)", validators=[Optional()])
    is_public = BooleanField("Open to the public (listed on the public portal)", default=True)
    kind = SelectField("Kind", choices=MeetingKind.choices(),
                       validators=[DataRequired()])
    place = StringField("Place", validators=[Optional(), Length(max=255)])
    attendance = IntegerField("Attendance",
                              validators=[Optional(), NumberRange(min=0, max=100_000)])
    notes = TextAreaField("Notes", validators=[Optional(), Length(max=5000)])
    languages = FieldList(FormField(LanguageNeedForm), min_entries=LANGUAGE_ROWS,
                          max_entries=LANGUAGE_ROWS)
    submit = SubmitField("Save the meeting")


class FeedbackForm(FlaskForm):
    """Something heard at the meeting."""

    topic = StringField("Topic", validators=[DataRequired(), Length(max=200)])
    text = TextAreaField("What was said", validators=[Optional(), Length(max=5000)])
    tone = RadioField("Tone", choices=FeedbackTone.choices(), default=FeedbackTone.NEUTRAL,
                      validators=[DataRequired()])
    submit = SubmitField("Add the feedback")
