"""Forms for element 3's new priorities and new SARA problems, with their choices."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from cpp_app.choices import select_choices
from cpp_app.inputs import bounded_int
from cpp_app.plans.models import PriorityKind, PrioritySource, SaraStage
from cpp_app.updates.models import ChangeBasis, PlanUpdate

#: The prefix of a choice naming something new in the update rather than in the plan.
NEW_PREFIX = "new-"
BASIS_REQUIRED = "Mark it as result-based or community-input-based."


class NewPriorityForm(FlaskForm):
    """Element 3: a priority the commander adds in the update."""

    title = StringField("Priority", validators=[DataRequired(), Length(max=200)])
    kind = RadioField("Kind", choices=PriorityKind.choices(),
                      validators=[InputRequired("Choose public safety or quality of life.")])
    source = SelectField("Where it came from", choices=PrioritySource.choices(),
                         validators=[DataRequired()])
    description = TextAreaField("Description", validators=[Optional(), Length(max=5000)])
    basis = RadioField("Basis", choices=ChangeBasis.choices(),
                       validators=[InputRequired(BASIS_REQUIRED)])
    rationale = TextAreaField("Rationale", validators=[DataRequired(), Length(max=5000)])
    submit = SubmitField("Add the priority")


class NewProblemForm(FlaskForm):
    """Element 3: a new SARA problem the commander adds in the update."""

    title = StringField("Problem", validators=[DataRequired(), Length(max=200)])
    priority = SelectField("Priority it serves", validators=[Optional()])
    sara_stage = SelectField("SARA stage", choices=SaraStage.choices(),
                             validators=[DataRequired()])
    location = StringField("Location", validators=[Optional(), Length(max=255)])
    analysis_notes = TextAreaField("Analysis", validators=[Optional(), Length(max=5000)])
    basis = RadioField("Basis", choices=ChangeBasis.choices(),
                       validators=[InputRequired(BASIS_REQUIRED)])
    rationale = TextAreaField("Rationale", validators=[DataRequired(), Length(max=5000)])
    submit = SubmitField("Add the problem")


def new_problem_form(update: PlanUpdate) -> NewProblemForm:
    """The new-problem form, offering the plan's priorities and those new in the update."""
    form = NewProblemForm(prefix="np")
    form.priority.choices = select_choices(
        [("", "—")] + [(str(p.id), p.title) for p in update.plan.priorities]
        + [(f"{NEW_PREFIX}{p.id}", f"New: {p.title}") for p in update.proposed_priorities])
    return form


def addition_forms(update: PlanUpdate, forms: dict[str, FlaskForm]) -> dict[str, FlaskForm]:
    """The new-priority and new-problem forms (those with errors kept)."""
    return {"new_priority_form": forms.get("new_priority") or NewPriorityForm(prefix="npr"),
            "new_problem_form": forms.get("new_problem") or new_problem_form(update)}


def problem_choices(update: PlanUpdate) -> list[tuple[str, str]]:
    """The change form's problems: the plan's, then those new in the update."""
    return ([("", "—")] + [(str(p.id), p.title) for p in update.plan.problems]
            + [(f"{NEW_PREFIX}{p.id}", f"New: {p.title}") for p in update.proposed_problems])


def split_choice(value: str | None) -> tuple[int | None, int | None]:
    """A choice as (id in the plan, id of something new in the update)."""
    value = (value or "").strip()
    if value.startswith(NEW_PREFIX):
        rest = value.removeprefix(NEW_PREFIX)
        return None, bounded_int(rest)
    return bounded_int(value), None
