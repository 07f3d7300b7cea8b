"""Forms for plans, their items, and the semi-annual update's elements."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from cpp_app.choices import select_choices
from cpp_app.plans.models import (
    ASSESSMENTS,
    CHANGE_BASES,
    DECISIONS,
    FEEDBACK_SOURCE_KINDS,
    PRIORITY_KINDS,
    PRIORITY_SOURCES,
    RESPONSE_KINDS,
    RESPONSE_STATUSES,
    SARA_STAGES,
    SHARING_CHANNELS,
)

LONG_TEXT = [Optional(), Length(max=5000)]


class PlanSummaryForm(FlaskForm):
    """The plan's overall summary."""

    summary = TextAreaField("Plan summary", validators=LONG_TEXT,
                            description="What the plan sets out to do, in a few sentences.")
    submit = SubmitField("Save summary")


class PriorityForm(FlaskForm):
    """A priority chosen with community input."""

    title = StringField("Priority", validators=[DataRequired(), Length(max=200)])
    kind = RadioField("Kind", choices=select_choices(PRIORITY_KINDS.items()),
                      validators=[InputRequired("Choose public safety or quality of life.")])
    source = SelectField("Where it came from", choices=select_choices(PRIORITY_SOURCES.items()),
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
    sara_stage = SelectField("SARA stage", choices=select_choices(SARA_STAGES.items()),
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
    kind = RadioField("Kind", choices=select_choices(RESPONSE_KINDS.items()),
                      validators=[InputRequired("Choose prevention, partnership or "
                                                "enforcement.")])
    owner_shield = StringField("Owner (shield number)", validators=[Optional(), Length(max=20)])
    start_on = DateField("Start date", validators=[Optional()])
    due_on = DateField("Due date", validators=[Optional()])
    status = SelectField("Status", choices=select_choices(RESPONSE_STATUSES.items()),
                         validators=[DataRequired()])
    internal_notes = TextAreaField("Internal notes (never published)", validators=LONG_TEXT)
    submit = SubmitField("Save response")


class AdoptForm(FlaskForm):
    """Adopt a draft plan on a date."""

    adopted_on = DateField("Adopted on", validators=[DataRequired()])
    submit = SubmitField("Adopt the plan")


class ResponseStatusForm(FlaskForm):
    """Move a response to another status."""

    status = SelectField("Status", choices=select_choices(RESPONSE_STATUSES.items()),
                         validators=[DataRequired()])
    submit = SubmitField("Update status")


class FeedbackSummaryForm(FlaskForm):
    """Element 1: what the community said."""

    feedback_summary = TextAreaField("Summary of community feedback",
                                     validators=[DataRequired(), Length(max=10000)])
    submit = SubmitField("Save summary")


class FeedbackSourceForm(FlaskForm):
    """Element 1: a survey or meeting the summary rests on."""

    kind = SelectField("Kind", choices=select_choices(FEEDBACK_SOURCE_KINDS.items()),
                       validators=[DataRequired()])
    reference = StringField("Survey or meeting", validators=[DataRequired(), Length(max=255)])
    held_on = DateField("Date", validators=[Optional()])
    headline = TextAreaField("Headline results", validators=[Optional(), Length(max=2000)])
    submit = SubmitField("Add source")


class AssessmentForm(FlaskForm):
    """Element 2: one response's effectiveness and the decision about it."""

    assessment = SelectField("Assessment", choices=select_choices(ASSESSMENTS.items()),
                             validators=[DataRequired()])
    evidence = TextAreaField("Evidence", validators=[DataRequired(), Length(max=5000)])
    decision = SelectField("Decision", choices=select_choices(DECISIONS.items()),
                           validators=[DataRequired()])
    submit = SubmitField("Save assessment")


class ImplementationForm(FlaskForm):
    """Element 2: whether the implementation plan will be modified."""

    modified = RadioField("Will the implementation plan be modified?",
                          choices=select_choices([("yes", "Yes"), ("no", "No")]),
                          validators=[InputRequired("Answer yes or no.")])
    reason = TextAreaField("Why", validators=[DataRequired(), Length(max=5000)])
    submit = SubmitField("Save decision")


class ChangeForm(FlaskForm):
    """Element 3: a new or modified response."""

    target = SelectField("New response, or the response it modifies",
                         validators=[DataRequired()])
    problem_id = SelectField("Problem (for a new response)", validators=[Optional()])
    description = TextAreaField("Response", validators=[DataRequired(), Length(max=5000)])
    kind = RadioField("Kind", choices=select_choices(RESPONSE_KINDS.items()),
                      validators=[InputRequired("Choose prevention, partnership or "
                                                "enforcement.")])
    basis = RadioField("Basis", choices=select_choices(CHANGE_BASES.items()),
                       validators=[InputRequired("Mark the change as result-based or "
                                                 "community-input-based.")])
    rationale = TextAreaField("Rationale", validators=[DataRequired(), Length(max=5000)])
    owner_shield = StringField("Owner (shield number)", validators=[Optional(), Length(max=20)])
    start_on = DateField("Start date", validators=[Optional()])
    due_on = DateField("Due date", validators=[Optional()])
    submit = SubmitField("Add change")


class SharingForm(FlaskForm):
    """Element 4: a way the update is shared with the community."""

    channel = SelectField(
        "Channel",
        choices=select_choices((k, v) for k, v in SHARING_CHANNELS.items() if k != "public_page"),
        validators=[DataRequired()],
    )
    shared_on = DateField("Date", validators=[DataRequired()])
    details = TextAreaField("Details", validators=[Optional(), Length(max=2000)])
    submit = SubmitField("Add sharing")


class ReturnForm(FlaskForm):
    """Admin: return an update with comments."""

    comments = TextAreaField("Comments for the commander",
                             validators=[DataRequired(), Length(max=5000)])
    submit = SubmitField("Return with comments")
