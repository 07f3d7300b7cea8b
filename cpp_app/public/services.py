"""What the public may see of a station's plan: published versions and updates, nothing internal."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import current_app
from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from cpp_app.clock import add_months
from cpp_app.disclosure import publishable
from cpp_app.engagement.services import EngagementFilter, counts_by_type_and_month
from cpp_app.extensions import db
from cpp_app.meetings.models import Meeting
from cpp_app.meetings.services import upcoming_public_meetings
from cpp_app.plans.models import Plan, PlannedResponse, PlanStatus
from cpp_app.stations.models import Station
from cpp_app.surveys.models import Survey, SurveyStatus
from cpp_app.surveys.results import results_of_surveys
from cpp_app.surveys.services import open_surveys
from cpp_app.training.compliance import compliance_frame, current_rule, summarise
from cpp_app.updates.figures import CitedFigures
from cpp_app.updates.models import PlanUpdate, ResponseChange, UpdateStatus
from cpp_app.updates.overview import overview_order, station_statuses


@dataclass
class PublicPlan:
    """A published plan version reduced to its public items."""

    plan: Plan
    priorities: list
    problems: list
    responses_by_problem: dict[int, list]


def station_by_code(code: str) -> Station | None:
    """The station with this code (case-insensitive)."""
    return db.session.scalar(select(Station).where(Station.code == code.strip().upper()))


def published_plan(station_id: int) -> PublicPlan | None:
    """The newest version the public may see, without its internal problems and their responses.

    That is the adopted first version, or one whose update has been published.
    """
    published_versions = select(PlanUpdate.resulting_plan_id).where(
        PlanUpdate.station_id == station_id, PlanUpdate.status == UpdateStatus.PUBLISHED)
    plan = db.session.scalar(
        select(Plan)
        .where(Plan.station_id == station_id, Plan.status != PlanStatus.DRAFT,
               or_(Plan.previous_plan_id.is_(None), Plan.id.in_(published_versions)))
        .order_by(Plan.version.desc()).limit(1)
        .options(selectinload(Plan.priorities), selectinload(Plan.problems),
                 selectinload(Plan.responses))
    )
    if plan is None:
        return None
    problems = [problem for problem in plan.problems if not problem.is_internal]
    public_ids = {problem.id for problem in problems}
    by_problem: dict[int, list[PlannedResponse]] = {}
    for response in plan.responses:
        if response.problem_id in public_ids:
            by_problem.setdefault(response.problem_id, []).append(response)
    return PublicPlan(plan, list(plan.priorities), problems, by_problem)


@dataclass
class PublicUpdate:
    """A published update with only its public changes."""

    update: PlanUpdate
    changes: list[ResponseChange]
    figures: CitedFigures | None = None


def published_updates(station_id: int) -> list[PublicUpdate]:
    """The station's published updates, newest first, without changes to internal problems."""
    found = db.session.scalars(
        select(PlanUpdate)
        .where(PlanUpdate.station_id == station_id,
               PlanUpdate.status == UpdateStatus.PUBLISHED)
        .order_by(PlanUpdate.due_on.desc())
        .options(
            selectinload(PlanUpdate.feedback_sources),
            selectinload(PlanUpdate.assessments),
            selectinload(PlanUpdate.changes).selectinload(ResponseChange.problem),
            selectinload(PlanUpdate.changes).selectinload(ResponseChange.proposed_problem),
            selectinload(PlanUpdate.sharing),
            selectinload(PlanUpdate.proposed_priorities),
            selectinload(PlanUpdate.proposed_problems),
        )
    )
    return [PublicUpdate(update, [c for c in update.changes if is_public_change(c)],
                         frozen_figures(update))
            for update in found]


def frozen_figures(update: PlanUpdate) -> CitedFigures | None:
    """The figures an update cites, as frozen when it was submitted (None while a draft).

    None for an update submitted before figures were kept: they are never recomputed.
    """
    if update.cited_figures is None:
        return None
    return CitedFigures.from_json(update.cited_figures)


def is_public_change(change: ResponseChange) -> bool:
    """A change is shown unless it concerns an internal-only problem."""
    return not change.is_internal


@dataclass
class PublicDashboard:
    """Department figures fit for publication (small groups suppressed)."""

    plan_rows: list
    compliance: object
    station_compliance: list
    engagement_months: list
    engagement_table: dict
    surveys: list
    minimum: int


def public_dashboard(today: date) -> PublicDashboard:
    """Plan timeliness, training compliance, engagement by type and month, survey indices."""
    minimum = current_app.config["CPP_MIN_PUBLIC_COUNT"]
    department, stations = summarise(compliance_frame(current_rule(), today))
    months, table = counts_by_type_and_month(EngagementFilter(
        date_from=add_months(today.replace(day=1), -11), date_to=today))
    newest = list(db.session.scalars(select(Survey.id).where(Survey.status != SurveyStatus.DRAFT)
                                      .order_by(Survey.id.desc()).limit(5)))
    surveys = [results for results in reversed(results_of_surveys(newest, min_count=minimum))
               if not results.suppressed]
    return PublicDashboard(overview_order(station_statuses(), today), department,
                           [s for s in stations if publishable(s.counted, minimum)], months, table,
                           surveys, minimum)


@dataclass
class YouSaidWeDid:
    """A change made because of community input, beside what prompted it."""

    update: PlanUpdate
    change: ResponseChange
    feedback: str


def you_said_we_did(public_updates: list[PublicUpdate]) -> list[YouSaidWeDid]:
    """Community-input-based changes of the published updates, with the feedback behind them."""
    items = []
    for public in public_updates:
        prompted_by = public.update.feedback_summary
        for change in public.changes:
            if change.is_community_input_based:
                items.append(YouSaidWeDid(public.update, change, prompted_by))
    return items


@dataclass
class WhatsOn:
    """What residents can take part in now: open surveys and upcoming public meetings."""

    surveys: list[Survey]
    meetings: list[Meeting]


def whats_on(today: date, station_id: int | None = None) -> WhatsOn:
    """Open surveys and upcoming public meetings, for one station or the whole department.

    A station's page lists its own and the department-wide surveys, and its own meetings.
    """
    return WhatsOn(open_surveys(today, station_id), upcoming_public_meetings(today, station_id))
