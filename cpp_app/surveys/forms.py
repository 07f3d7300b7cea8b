"""Forms for building surveys: settings and questions, with a text field per language."""

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
from wtforms.validators import DataRequired, Length, Optional

from cpp_app.choices import select_choices
from cpp_app.forms import PlausibleDateField
from cpp_app.stations.languages import language_name
from cpp_app.surveys.kinds import QuestionKind
from cpp_app.surveys.models import IndexRole

REPEAT_LABEL = "Allow several responses from one device"
REPEAT_HELP = ("For a kiosk or a shared tablet at a meeting. Otherwise a device that has "
               "answered is thanked instead of being shown the survey again.")


class NewSurveyForm(FlaskForm):
    """Start a survey: where, in which languages, blank or from the template."""

    station_id = SelectField("Station", validators=[Optional()],
                             description="Leave empty for a department-wide survey (admins).")
    languages = StringField(
        "Languages", validators=[DataRequired(), Length(max=200)], default="en, es, zh, vi",
        description="Languages by code or English name, separated by commas, the first being "
                    "the main one (en English, es Spanish, zh Chinese, vi Vietnamese, ko Korean, "
                    "tl Tagalog).",
    )
    start_from = RadioField(
        "Start from", default="template",
        choices=select_choices([("template", "The trust and safety template"),
                                ("blank", "A blank survey")]),
        validators=[DataRequired()],
    )
    opens_on = PlausibleDateField("Opens on", validators=[Optional()])
    closes_on = PlausibleDateField("Closes on", validators=[Optional()])
    allow_repeat_responses = BooleanField(REPEAT_LABEL, description=REPEAT_HELP)
    submit = SubmitField("Create the survey")


def settings_form_class(languages: list[str]) -> type[FlaskForm]:
    """A settings form with title, introduction and thank-you fields for each language."""

    class SettingsForm(FlaskForm):
        station_id = SelectField("Station", validators=[Optional()])
        languages_text = StringField("Languages (codes or names, first is the main one)",
                                     validators=[DataRequired(), Length(max=200)])
        opens_on = PlausibleDateField("Opens on", validators=[Optional()])
        closes_on = PlausibleDateField("Closes on", validators=[Optional()])
        allow_repeat_responses = BooleanField(REPEAT_LABEL, description=REPEAT_HELP)
        submit = SubmitField("Save settings")

    for code in languages:
        name = language_name(code)
        setattr(SettingsForm, f"title_{code}",
                StringField(f"Title ({name})", validators=[Optional(), Length(max=200)]))
        setattr(SettingsForm, f"introduction_{code}",
                TextAreaField(f"Introduction ({name})", validators=[Optional(), Length(max=2000)]))
        setattr(SettingsForm, f"thank_you_{code}",
                TextAreaField(f"Thank-you message ({name})",
                              validators=[Optional(), Length(max=2000)]))
    return SettingsForm


def question_form_class(languages: list[str]) -> type[FlaskForm]:
    """A question form with prompt, help and options fields for each language."""

    class QuestionForm(FlaskForm):
        kind = SelectField("Kind of question", choices=QuestionKind.choices(),
                           validators=[DataRequired()])
        required = BooleanField("An answer is required")
        index_role = SelectField("Counts toward", choices=IndexRole.choices(),
                                 validators=[Optional()])
        submit = SubmitField("Save the question")

    for code in languages:
        name = language_name(code)
        setattr(QuestionForm, f"prompt_{code}",
                TextAreaField(f"Question ({name})", validators=[Optional(), Length(max=1000)]))
        setattr(QuestionForm, f"help_{code}",
                StringField(f"Help text ({name})", validators=[Optional(), Length(max=500)]))
        setattr(QuestionForm, f"options_{code}",
                TextAreaField(f"Options ({name}), one per line, in the same order in every "
                              "language", validators=[Optional(), Length(max=5000)]))
    return QuestionForm
