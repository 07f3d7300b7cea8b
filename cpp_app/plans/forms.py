"""Forms for plans and their items: priorities, problems and planned responses."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from cpp_app.forms import PlausibleDateField
from cpp_app.plans.models import (
    PriorityKind,
    PrioritySource,
    ResponseKind,
    ResponseStatus,
    SaraStage,
)
from cpp_app.stations.fields import ShieldNumberField

LONG_TEXT = [Optional(), Length(max=5000)]


class PlanSummaryForm(FlaskForm):
    """The plan's overall summary."""

    summary = TextAreaField("Plan summary", validators=LONG_TEXT,
                            description="What the plan sets out to do, in a few sentences.")
    submit = SubmitField("Save summary")


class PriorityForm(FlaskForm):
    """A priority chosen with community input."""

    title = StringField("Priority", validators=[DataRequired(), Length(max=200)])
    kind = RadioField("Kind", choices=PriorityKind.choices(),
                      validators=[InputRequired("Choose public safety or quality of life.")])
    source = SelectField("Where it came from", choices=PrioritySource.choices(),
                         validators=[DataRequired()])
    description = TextAreaField("Description", validators=LONG_TEXT)
    evidence = TextAreaField("Evidence", validators=LONG_TEXT,
                             description="Survey results, meeting notes or crime figures.")
    internal_notes = TextAreaField("Internal notes (never published)", validators=LONG_TEXT)
    submit = SubmitField("Save priority")


class ProblemForm(FlaskForm):
    """A problem worked with SARA."""

    title = StringField("Problem", validators=[DataRequired(), Length(max=200)])
    priority_id = SelectField("Priority it serves", validators=[Optional()])
    sara_stage = SelectField("SARA stage", choices=SaraStage.choices(),
                             validators=[DataRequired()])
    location = StringField("Location", validators=[Optional(), Length(max=255)])
    scanning_notes = TextAreaField("Scanning: what was found", validators=LONG_TEXT)
    analysis_notes = TextAreaField("Analysis: causes and conditions", validators=LONG_TEXT)
    response_notes = TextAreaField("Response: what is being done", validators=LONG_TEXT)
    assessment_notes = TextAreaField("Assessment: what changed", validators=LONG_TEXT)
    is_internal = BooleanField("Internal only: keep this problem off the public page")
    internal_notes = TextAreaField("Internal notes (never published)", validators=LONG_TEXT)
    submit = SubmitField("Save problem")


class ResponseForm(FlaskForm):
    """A planned response to a problem."""

    problem_id = SelectField("Problem", validators=[DataRequired()])
    description = TextAreaField("Response", validators=[DataRequired(), Length(max=5000)])
    kind = RadioField("Kind", choices=ResponseKind.choices(),
                      validators=[InputRequired("Choose prevention, partnership or "
                                                "enforcement.")])
    owner_shield = ShieldNumberField("Owner (shield number)")
    start_on = PlausibleDateField("Start date", validators=[Optional()])
    due_on = PlausibleDateField("Due date", validators=[Optional()])
    status = SelectField("Status", choices=ResponseStatus.choices(),
                         validators=[DataRequired()])
    internal_notes = TextAreaField("Internal notes (never published)", validators=LONG_TEXT)
    submit = SubmitField("Save response")


class AdoptForm(FlaskForm):
    """Adopt a draft plan on a date."""

    adopted_on = PlausibleDateField("Adopted on", validators=[DataRequired()])
    submit = SubmitField("Adopt the plan")


class ResponseStatusForm(FlaskForm):
    """Move a response to another status."""

    status = SelectField("Status", choices=ResponseStatus.choices(),
                         validators=[DataRequired()])
    submit = SubmitField("Update status")
