"""What each report shows: contexts for the PDF templates, built from the features' services."""

from __future__ import annotations

from datetime import date, timedelta

import segno
from flask import current_app
from sqlalchemy import ColumnElement, and_, func, or_, select

from cpp_app.charts import bar_chart
from cpp_app.clock import start_of_local_day, today_local
from cpp_app.engagement.services import EngagementFilter, counts_by_type_month_and_station
from cpp_app.extensions import db
from cpp_app.meetings.models import InterpreterStatus, Meeting, MeetingLanguage
from cpp_app.outreach.services import coverage
from cpp_app.plans import services as plans
from cpp_app.plans.models import Problem
from cpp_app.stations.models import Station
from cpp_app.surveys.models import Survey, SurveyResponse
from cpp_app.surveys.results import results_of_surveys
from cpp_app.training.compliance import (
    compliance_chart,
    compliance_frame,
    current_rule,
    short_members,
    summarise,
)
from cpp_app.updates.figures import update_figures
from cpp_app.updates.models import (
    ChangeBasis,
    PlanUpdate,
    ProposedPriority,
    ProposedProblem,
    ResponseChange,
    UpdateStatus,
)
from cpp_app.updates.services import update_with_elements


def plan_context(station: Station) -> dict:
    """The station's plan in force (or its draft)."""
    current = plans.active_plan(station.id) or plans.draft_plan(station.id)
    if current is None:
        raise LookupError(f"{station.code} has no plan yet")
    plan = plans.plan_with_items(current.id)
    return {"title": f"{station.name}: Community Policing Plan", "station": station,
            "plan": plan, "kinds_chart": plans.response_kinds_chart(plan)}


def flyer_context(survey: Survey, language: str, link: str) -> dict:
    """A survey's printable flyer in one of its languages, with a QR code of `link`."""
    return {"title": survey.text("title", language) or survey.display_title, "survey": survey,
            "language": language, "pdf_language": language, "link": link,
            "qr_image": segno.make(link, error="m").svg_data_uri(scale=6, border=2)}


def update_context(update_id: int) -> dict:
    """A semi-annual update with its four elements."""
    update = update_with_elements(update_id)
    if update is None:
        raise LookupError(f"no update {update_id}")
    return {"title": f"{update.station.name}: semi-annual update due "
                     f"{update.due_on:%d %B %Y}", "update": update,
            "figures": update_figures(update, today_local())}


def training_context(today: date) -> dict:
    """Compliance with the training rule, by station, and who is short."""
    rule = current_rule()
    frame = compliance_frame(rule, today)
    department, stations = summarise(frame)
    return {"title": "Training compliance", "rule_text": rule.describe(today),
            "department": department, "stations": stations,
            "short": short_members(frame, "station").to_dict("records"),
            "chart": compliance_chart(stations)}


def annual_context(year: int) -> dict:
    """The department's year, with the annual report's charts.

    It covers engagement, meetings, surveys, outreach, training, timeliness, and what changed
    because of community input. Small survey groups are suppressed.
    """
    figures = annual_figures(year)
    return {**figures, **annual_charts(figures)}


def annual_figures(year: int) -> dict:
    """The annual report's figures from the database (everything but the charts)."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    minimum = current_app.config["CPP_MIN_PUBLIC_COUNT"]
    engagement = counts_by_type_month_and_station(EngagementFilter(date_from=start, date_to=end))
    department, stations = summarise(compliance_frame(current_rule(), min(end, today_local())))
    return {
        "title": f"Community policing annual report {year}", "year": year,
        "months": engagement.months, "by_type": engagement.by_type,
        "by_station": engagement.by_station,
        "meetings": _meeting_figures(start, end), "surveys": _survey_figures(start, end, minimum),
        "outreach": coverage(min(end, today_local()), 12), "minimum": minimum,
        "training": department, "training_stations": stations,
        "timeliness": _timeliness(start, end), "changes": _community_changes(start, end),
        "additions": _community_additions(start, end),
    }


def annual_charts(figures: dict) -> dict:
    """The annual report's charts: engagement by call type and by station."""
    type_totals = {name: sum(counts.values()) for name, counts in figures["by_type"].items()}
    by_station = figures["by_station"]
    return {
        "type_chart": bar_chart(list(type_totals), list(type_totals.values()),
                                "Engagement activities by type", counts=True),
        "station_chart": bar_chart([c for c, _ in by_station], [n for _, n in by_station],
                                   "Engagement activities by station", counts=True),
    }


def _meeting_figures(start: date, end: date) -> dict:
    count, attendance = db.session.execute(
        select(func.count(), func.coalesce(func.sum(Meeting.attendance), 0))
        .where(Meeting.held_on.between(start, end))).one()
    languages = db.session.execute(
        select(MeetingLanguage.language_code, MeetingLanguage.status, func.count())
        .join(Meeting, Meeting.id == MeetingLanguage.meeting_id)
        .where(Meeting.held_on.between(start, end))
        .group_by(MeetingLanguage.language_code, MeetingLanguage.status)).all()
    served: dict[str, list[int]] = {}
    for code, status, number in languages:
        pair = served.setdefault(code, [0, 0])
        pair[0 if status == InterpreterStatus.PROVIDED else 1] += number
    return {"count": count, "attendance": attendance, "languages": served}


def _survey_figures(start: date, end: date, minimum: int) -> list:
    """Results of the surveys answered in the period that reached the minimum."""
    answered = select(SurveyResponse.survey_id).where(SurveyResponse.submitted_on.between(
        start, end))
    return [result for result in results_of_surveys(answered, min_count=minimum)
            if not result.suppressed]


def _timeliness(start: date, end: date) -> dict:
    updates = db.session.scalars(select(PlanUpdate).where(
        PlanUpdate.due_on.between(start, end)))
    figures = {"on_time": 0, "late": 0, "open": 0}
    for update in updates:
        if update.approved_at is None:
            figures["open"] += 1
        elif update.approved_at.date() <= update.due_on:
            figures["on_time"] += 1
        else:
            figures["late"] += 1
    return figures


def _published_between(start: date, end: date) -> ColumnElement[bool]:
    """Updates published on a local day of the period (not due in it)."""
    return and_(PlanUpdate.status == UpdateStatus.PUBLISHED,
                PlanUpdate.published_at >= start_of_local_day(start),
                PlanUpdate.published_at < start_of_local_day(end + timedelta(days=1)))


def _community_additions(start: date, end: date) -> dict[str, list]:
    """New priorities and problems raised by community input, in updates published then."""
    return {name: list(db.session.scalars(
        select(model).join(PlanUpdate, PlanUpdate.id == model.update_id)
        .where(model.basis == ChangeBasis.COMMUNITY_INPUT_BASED, _published_between(start, end))
        .order_by(PlanUpdate.published_at, model.id)))
        for name, model in (("priorities", ProposedPriority), ("problems", ProposedProblem))}


def _community_changes(start: date, end: date) -> list[ResponseChange]:
    """Community-input-based changes whose update was published in the period.

    Counted by the day of publication, not the update's due date.
    """
    return list(db.session.scalars(
        select(ResponseChange).join(PlanUpdate, PlanUpdate.id == ResponseChange.update_id)
        .outerjoin(Problem, Problem.id == ResponseChange.problem_id)
        .where(ResponseChange.basis == ChangeBasis.COMMUNITY_INPUT_BASED,
               or_(Problem.id.is_(None), Problem.is_internal.is_(False)),
               _published_between(start, end))
        .order_by(PlanUpdate.published_at, ResponseChange.id)))
