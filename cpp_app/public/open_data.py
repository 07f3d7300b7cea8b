"""Open data: CSV downloads and the data dictionary that describes them.

The downloads have stable column names and are safe to open in a spreadsheet. Nothing marked
internal is included; survey groups with fewer than CPP_MIN_PUBLIC_COUNT responses are left out,
with the complementary counts that would give them away (`cpp_app.disclosure`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from flask import current_app
from flask_babel import LazyString
from flask_babel import lazy_gettext as _
from sqlalchemy import extract, func, select

from cpp_app.engagement.models import EngagementRecord
from cpp_app.extensions import db
from cpp_app.importing.services import spreadsheet_safe
from cpp_app.meetings.models import InterpreterStatus, Meeting, MeetingLanguage
from cpp_app.outreach.models import OutreachContact, Stakeholder
from cpp_app.plans.models import Plan, PlannedResponse, PlanStatus, Problem
from cpp_app.stations.models import Station
from cpp_app.surveys.models import Survey, SurveyStatus
from cpp_app.surveys.results import results_of_surveys


@dataclass(frozen=True)
class Dataset:
    """One downloadable table: its name, what it holds, and its columns with meanings.

    Names and column names are stable English; the title, description and meanings are
    shown in the visitor's language.
    """

    name: str
    title: LazyString
    description: LazyString
    columns: tuple[tuple[str, LazyString], ...]
    rows: Callable[[], Iterable[tuple]]


def _engagement_rows() -> Iterator[tuple]:
    query = (select(EngagementRecord.occurred_on, EngagementRecord.occurred_time,
                    EngagementRecord.call_type, Station.code, EngagementRecord.location)
             .outerjoin(Station, Station.id == EngagementRecord.station_id)
             .order_by(EngagementRecord.occurred_on, EngagementRecord.id))
    for day, clock, call_type, station, location in db.session.connection().execute(query):
        yield (day.isoformat(), clock.strftime("%H:%M") if clock else "", call_type,
               station or "", location)


def _survey_rows() -> Iterator[tuple]:
    minimum = current_app.config["CPP_MIN_PUBLIC_COUNT"]
    published = select(Survey.id).where(Survey.status != SurveyStatus.DRAFT)
    for results in results_of_surveys(published, min_count=minimum):
        if results.suppressed:
            continue
        survey = results.survey
        station = survey.station.code if survey.station else ""
        for index in results.indices:
            if index.value is not None:
                yield (survey.slug, station, "index", index.name, "", index.value,
                       index.respondents)
        for item in results.questions:
            if item.suppressed or item.question.rules.is_free_text:
                continue
            for label, count in item.counts:
                if count is not None:
                    yield (survey.slug, station, item.question.code,
                           item.question.text(survey.default_language), label, "", count)


def _meeting_rows() -> Iterator[tuple]:
    meetings = db.session.scalars(select(Meeting).order_by(Meeting.held_on, Meeting.id))
    languages = {}
    for meeting_id, code, status in db.session.execute(
            select(MeetingLanguage.meeting_id, MeetingLanguage.language_code,
                   MeetingLanguage.status)):
        languages.setdefault(meeting_id, []).append((code, status))
    stations = dict(db.session.execute(select(Station.id, Station.code)).all())
    for meeting in meetings:
        needed = languages.get(meeting.id, [])
        yield (meeting.held_on.isoformat(), stations.get(meeting.station_id, ""), meeting.kind,
               meeting.attendance if meeting.attendance is not None else "",
               ";".join(code for code, _ in needed),
               ";".join(code for code, status in needed if status == InterpreterStatus.PROVIDED))


def _outreach_rows() -> Iterator[tuple]:
    year = extract("year", OutreachContact.contacted_on)
    month = extract("month", OutreachContact.contacted_on)
    rows = db.session.execute(
        select(Station.code, Stakeholder.kind, year, month, func.count())
        .join(Stakeholder, Stakeholder.id == OutreachContact.stakeholder_id)
        .join(Station, Station.id == OutreachContact.station_id)
        .group_by(Station.code, Stakeholder.kind, year, month)
        .order_by(Station.code, year, month, Stakeholder.kind))
    for code, kind, row_year, row_month, count in rows:
        yield code, f"{int(row_year):04d}-{int(row_month):02d}", kind, count


def _response_rows() -> Iterator[tuple]:
    rows = db.session.execute(
        select(Station.code, Plan.version, Problem.title, Problem.sara_stage,
               PlannedResponse.description, PlannedResponse.kind, PlannedResponse.status,
               PlannedResponse.start_on, PlannedResponse.due_on)
        .join(Plan, Plan.id == PlannedResponse.plan_id)
        .join(Station, Station.id == Plan.station_id)
        .join(Problem, Problem.id == PlannedResponse.problem_id)
        .where(Plan.status == PlanStatus.ACTIVE, Problem.is_internal.is_(False))
        .order_by(Station.code, Problem.position, PlannedResponse.position))
    for code, version, problem, stage, description, kind, status, start, due in rows:
        yield (code, version, problem, stage, description, kind, status,
               start.isoformat() if start else "", due.isoformat() if due else "")


DATASETS = {
    dataset.name: dataset for dataset in (
        Dataset("engagement-records", _("Community engagement records"),
                _("Engagement activities with an official disposition, one row each. Officers "
                  "are not identified."),
                (("date", _("Date of the activity (YYYY-MM-DD)")),
                 ("time", _("Time it began (HH:MM), empty when not recorded")),
                 ("call_type", _("COP Relationships, COP Problem Solving, COP Activity, or "
                                 "another type as recorded")),
                 ("station", _("Code of the patrol station, empty when unknown")),
                 ("location", _("Where the activity took place, as recorded"))),
                _engagement_rows),
        Dataset("survey-results", _("Aggregated survey results"),
                _("Counts of answers and the trust and safety indices per survey. Surveys and "
                  "answers with fewer responses than the publication minimum are left out, "
                  "with the next-smallest answers where needed so that no left-out count can "
                  "be worked out from the others; open-text answers are never published."),
                (("survey", _("The survey's public code")),
                 ("station", _("Station code, empty for department-wide")),
                 ("question", _("Question code, or 'index'")),
                 ("question_text", _("The question, or the index name")),
                 ("answer", _("The answer counted")), ("index_value", _("Index on 0–100")),
                 ("count", _("Responses giving the answer, or counted in the index"))),
                _survey_rows),
        Dataset("meetings", _("Community meetings"),
                _("Meetings held by each station, with the languages needed and served."),
                (("date", _("Date held (YYYY-MM-DD)")), ("station", _("Station code")),
                 ("kind", _("town_hall, advisory_board, faith_based, school, business, "
                            "neighbourhood, online or other")),
                 ("attendance", _("People attending, empty when not counted")),
                 ("languages_needed", _("Language codes needed, separated by ';'")),
                 ("languages_interpreted", _("Of those, the ones an interpreter served"))),
                _meeting_rows),
        Dataset("outreach-counts", _("Stakeholder outreach counts"),
                _("Outreach contacts per station, month and kind of stakeholder (organisations "
                  "are not named)."),
                (("station", _("Station code")), ("month", _("Month (YYYY-MM)")),
                 ("stakeholder_kind", _("Kind of organisation")), ("count", _("Contacts"))),
                _outreach_rows),
        Dataset("plan-responses", _("Planned responses in force"),
                _("The responses of each station's plan in force, for the problems the plan "
                  "publishes."),
                (("station", _("Station code")), ("plan_version", _("Version of the plan")),
                 ("problem", _("The problem worked")),
                 ("sara_stage", _("scanning, analysis, response or assessment")),
                 ("response", _("The planned response")),
                 ("kind", _("prevention, partnership or enforcement")),
                 ("status", _("planned, in_progress, done, on_hold or cancelled")),
                 ("start_date", _("Start date (YYYY-MM-DD)")),
                 ("due_date", _("Due date (YYYY-MM-DD)"))),
                _response_rows),
    )
}


def dataset_csv(name: str) -> str:
    """One dataset as CSV text with a header row of its stable column names."""
    dataset = DATASETS[name]
    output = io.StringIO()
    writer = csv.writer(output)
    writer.writerow([column for column, _meaning in dataset.columns])
    for row in dataset.rows():
        writer.writerow([spreadsheet_safe(value) for value in row])
    return output.getvalue()
