"""Forms for courses, training records and training imports."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import (
    BooleanField,
    DecimalField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from cpp_app.forms import PlausibleDateField
from cpp_app.training.models import TrainingDelivery


class CourseForm(FlaskForm):
    """A training course."""

    title = StringField("Title", validators=[DataRequired(), Length(max=255)])
    provider = StringField("Provider", validators=[Optional(), Length(max=120)])
    code = StringField("Course code", validators=[Optional(), Length(max=60)],
                       description="The code used in imported exports, if any.")
    delivery = SelectField("Delivery", choices=TrainingDelivery.choices(),
                           validators=[DataRequired()])
    hours = DecimalField("Hours", places=2, validators=[Optional(), NumberRange(min=0.25)])
    counts_toward_requirement = BooleanField(
        "Counts toward the community policing requirement", default=True)
    active = BooleanField("Active", default=True)
    submit = SubmitField("Save the course")


class RecordForm(FlaskForm):
    """Training for one member or a whole class roster."""

    course_id = SelectField("Course", validators=[DataRequired()])
    completed_on = PlausibleDateField("Completed on", validators=[DataRequired()])
    hours = DecimalField("Hours credited", places=2, validators=[Optional(),
                                                                 NumberRange(min=0.25, max=24)],
                         description="Leave empty to credit the course's hours.")
    shields = TextAreaField("Shield numbers", validators=[DataRequired(), Length(max=20000)],
                            description="One member, or the whole class: one shield number "
                                        "per line or separated by commas.")
    submit = SubmitField("Record the training")


class TrainingUploadForm(FlaskForm):
    """A training export and the source system it comes from."""

    file = FileField("Export file (.csv or .xlsx)", validators=[
        FileRequired("Choose a file to import."),
        FileAllowed(["csv", "xlsx", "txt"], "Upload a .csv or .xlsx file.")])
    source_name = StringField("Source system", validators=[DataRequired(), Length(max=80)],
                              description="e.g. “State POST (DPSST)” or “LMS export”; its "
                                          "column mapping is remembered under this name.")
    submit = SubmitField("Continue to the column mapping")
