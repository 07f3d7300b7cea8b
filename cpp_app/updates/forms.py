"""Forms for the semi-annual update's elements, its review, and promoting findings."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import (
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from cpp_app.choices import select_choices
from cpp_app.forms import PlausibleDateField
from cpp_app.plans.models import PriorityKind, ResponseKind
from cpp_app.stations.fields import ShieldNumberField
from cpp_app.updates.models import (
    AUTOMATIC_SHARING_CHANNELS,
    Assessment,
    ChangeBasis,
    Decision,
    FeedbackSourceKind,
    SharingChannel,
)


class FeedbackSummaryForm(FlaskForm):
    """Element 1: what the community said."""

    feedback_summary = TextAreaField("Summary of community feedback",
                                     validators=[DataRequired(), Length(max=10000)])
    submit = SubmitField("Save summary")


class FeedbackSourceForm(FlaskForm):
    """Element 1: a survey or meeting the summary rests on."""

    kind = SelectField("Kind", choices=FeedbackSourceKind.choices(),
                       validators=[DataRequired()])
    reference = StringField("Survey or meeting", validators=[DataRequired(), Length(max=255)])
    held_on = PlausibleDateField("Date", validators=[Optional()])
    headline = TextAreaField("Headline results", validators=[Optional(), Length(max=2000)])
    submit = SubmitField("Add source")


class AssessmentForm(FlaskForm):
    """Element 2: one response's effectiveness and the decision about it."""

    assessment = SelectField("Assessment", choices=Assessment.choices(),
                             validators=[DataRequired()])
    evidence = TextAreaField("Evidence", validators=[DataRequired(), Length(max=5000)])
    decision = SelectField("Decision", choices=Decision.choices(),
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
    kind = RadioField("Kind", choices=ResponseKind.choices(),
                      validators=[InputRequired("Choose prevention, partnership or "
                                                "enforcement.")])
    basis = RadioField("Basis", choices=ChangeBasis.choices(),
                       validators=[InputRequired("Mark the change as result-based or "
                                                 "community-input-based.")])
    rationale = TextAreaField("Rationale", validators=[DataRequired(), Length(max=5000)])
    owner_shield = ShieldNumberField("Owner (shield number)")
    start_on = PlausibleDateField("Start date", validators=[Optional()])
    due_on = PlausibleDateField("Due date", validators=[Optional()])
    submit = SubmitField("Add change")


class SharingForm(FlaskForm):
    """Element 4: a way the update is shared with the community."""

    channel = SelectField(
        "Channel",
        choices=SharingChannel.choices(leave_out=AUTOMATIC_SHARING_CHANNELS),
        validators=[DataRequired()],
    )
    shared_on = PlausibleDateField("Date", validators=[DataRequired()])
    details = TextAreaField("Details", validators=[Optional(), Length(max=2000)])
    submit = SubmitField("Add sharing")


class ReturnForm(FlaskForm):
    """Admin: return an update with comments."""

    comments = TextAreaField("Comments for the commander",
                             validators=[DataRequired(), Length(max=5000)])
    submit = SubmitField("Return with comments")


class PromoteForm(FlaskForm):
    """Make a community finding (meeting feedback, a survey result) a plan priority."""

    kind = SelectField("Priority kind", choices=PriorityKind.choices(),
                       validators=[DataRequired()])
    title = StringField("Title", validators=[Optional(), Length(max=200)])
    evidence = HiddenField("Evidence", validators=[Optional(), Length(max=2000)])
    question_id = HiddenField("Question", validators=[Optional()])
    submit = SubmitField("Promote to a plan priority")
