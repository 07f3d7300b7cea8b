"""Element 1 of an update: the surveys and meetings of its period, with headline results."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, or_, select

from cpp_app.extensions import db
from cpp_app.meetings.models import Meeting
from cpp_app.meetings.services import meetings_in_period
from cpp_app.stations.languages import language_name
from cpp_app.surveys.models import Survey, SurveyResponse
from cpp_app.surveys.results import SurveyResults, results_of_surveys
from cpp_app.updates.models import FeedbackSourceKind, PlanUpdate


@dataclass
class CandidateSource:
    """A survey or meeting the commander may cite, with what it found."""

    kind: str
    object_id: int
    reference: str
    held_on: date | None
    headline: str
    already_listed: bool


def period_candidates(update: PlanUpdate) -> list[CandidateSource]:
    """The station's surveys with responses in the period, and its meetings in the period."""
    listed_surveys = {s.survey_id for s in update.feedback_sources if s.survey_id}
    listed_meetings = {s.meeting_id for s in update.feedback_sources if s.meeting_id}
    last_days = _surveys_in_period(update)
    candidates = [
        CandidateSource(FeedbackSourceKind.SURVEY, results.survey.id, results.survey.display_title,
                        last_days[results.survey.id], survey_headline(results),
                        results.survey.id in listed_surveys)
        for results in results_of_surveys(list(last_days))
    ]
    candidates += [
        CandidateSource(FeedbackSourceKind.MEETING, meeting.id, meeting.title, meeting.held_on,
                        meeting_headline(meeting), meeting.id in listed_meetings)
        for meeting in meetings_in_period(update.station_id, update.period_start,
                                          update.period_end)
    ]
    return candidates


def survey_headline(results: SurveyResults) -> str:
    """Responses, indices and top issues of a survey's results in one line."""
    parts = [f"{results.responses} responses"]
    parts += [f"{index.name.lower()} {index.value}" for index in results.indices
              if index.value is not None]
    if results.top_issues:
        parts.append("top issues: " + ", ".join(f"{issue} ({count})"
                                                for issue, count in results.top_issues[:3]))
    return "; ".join(parts)


def meeting_headline(meeting: Meeting) -> str:
    """Attendance, feedback topics and languages served in one line."""
    parts = [f"{meeting.kind_label.lower()}"]
    if meeting.attendance is not None:
        parts.append(f"{meeting.attendance} attended")
    if meeting.feedback:
        parts.append(f"{len(meeting.feedback)} feedback items: "
                     + ", ".join(item.topic for item in meeting.feedback[:4]))
    if meeting.languages:
        parts.append("languages: " + ", ".join(language_name(n.language_code)
                                               for n in meeting.languages))
    return "; ".join(parts)


def _surveys_in_period(update: PlanUpdate) -> dict[int, date]:
    """The station's (and the department's) surveys answered in the period, by id.

    Each comes with the last day it was answered in the period.
    """
    return dict(db.session.execute(
        select(Survey.id, func.max(SurveyResponse.submitted_on))
        .join(SurveyResponse, SurveyResponse.survey_id == Survey.id)
        .where(or_(Survey.station_id == update.station_id, Survey.station_id.is_(None)),
               SurveyResponse.submitted_on >= update.period_start,
               SurveyResponse.submitted_on <= update.period_end)
        .group_by(Survey.id)
    ).all())
