"""The steps of bench_reports.py, each run by it in a process of its own.

`--step build` fills the database, `annual` and `plan` time the two reports, `sizes` counts the
rows they read; each prints its figures as JSON on its last line.
"""

from __future__ import annotations

import cProfile
import io
import json
import pstats
import resource
import sqlite3
import sys
import time
from contextlib import closing, contextmanager
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock

import numpy as np
from _app import app_for_url, create_template_survey
from _common import OUTPUT, fresh_database
from bench_engagement_import import STREETS
from bench_reports import DATABASE_NAME, SQLITE_FILE, STEPS, arguments, database_url
from bench_survey_results import insert_responses
from flask import render_template
from generate_department import station_history
from generate_training import generate as generate_training
from sqlalchemy import event, func, insert, select, update

from cpp_app.clock import today_local
from cpp_app.engagement.models import KNOWN_CALL_TYPES, EngagementRecord
from cpp_app.extensions import db
from cpp_app.meetings.models import (
    FeedbackTone,
    Meeting,
    MeetingFeedback,
    MeetingKind,
    MeetingLanguage,
)
from cpp_app.outreach.models import OutreachContact, OutreachMethod, Stakeholder, StakeholderKind
from cpp_app.plans.models import (
    Plan,
    PlannedResponse,
    PlanStatus,
    Priority,
    PriorityKind,
    PrioritySource,
    Problem,
    ResponseKind,
    ResponseStatus,
    SaraStage,
)
from cpp_app.reports import services
from cpp_app.reports.pdf import html_to_pdf
from cpp_app.stations.models import Member, Station
from cpp_app.surveys.models import Survey, SurveyAnswer, SurveyResponse
from cpp_app.training.models import TrainingRecord
from cpp_app.updates.models import PlanUpdate, ResponseChange

BATCH = 100_000
PLAN_STATION = "S01"
#: Responses per survey: department and station surveys, the last one below the minimum.
SURVEY_SIZES = (12_000, 8_000, 5_000, 4_000, 3_000, 2_000, 1_500, 1_000, 800, 500, 250, 6)
MEETING_LANGUAGES = ("es", "vi", "zh", "ar", "ko", "tl", "ru", "so")
INTERPRETER_STATUSES = ("provided", "requested_not_provided", "not_requested")
TOPICS = ("Speeding near schools", "Car break-ins", "Drug dealing in the park",
          "Noise at night", "Homeless encampment by the creek", "Street racing",
          "Graffiti on storefronts", "Package theft", "Loitering outside corner stores",
          "Youth fights after school", "Abandoned vehicles", "Retail theft",
          "Unlit alleys", "Domestic disturbances", "Scams targeting seniors")


# --- Building the database -----------------------------------------------------------------


def build(backend: str, args) -> dict:
    """A fresh database with everything the reports cover; seconds per part."""
    url = fresh_database(backend, DATABASE_NAME if backend == "postgresql" else "reports")
    started = time.perf_counter()
    training = generate_training(url, stations=80, members=args.members,
                                 records=args.training_records, seed=args.seed)
    app = app_for_url(url)
    rng = np.random.default_rng(args.seed)
    seconds = {"training_s": training["generate_s"]}
    with app.app_context():
        first_day, last_day = report_days(args.year)
        steps = {
            "plans_s": lambda: add_plans(args.plan_size, first_day + timedelta(days=14), rng),
            "engagement_s": lambda: add_engagement(args.engagement_records, first_day,
                                                   last_day, rng),
            "updates_s": lambda: add_updates(args.year, last_day, rng),
            "meetings_s": lambda: add_meetings(first_day, last_day, rng),
            "outreach_s": lambda: add_outreach(first_day, last_day, rng),
        }
        for name, step in steps.items():
            with timed(seconds, name):
                step()
                db.session.commit()
        db.session.remove()
        db.engine.dispose()
    with timed(seconds, "surveys_s"):
        add_surveys(app, first_day, last_day, args.seed)
    if backend == "sqlite":
        with closing(sqlite3.connect(SQLITE_FILE)) as connection:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    seconds["build_s"] = round(time.perf_counter() - started, 1)
    return seconds


def report_days(year: int) -> tuple[date, date]:
    """The first day of the report year and its last day so far (in an app context)."""
    return date(year, 1, 1), min(date(year, 12, 31), today_local())


def random_days(first_day: date, last_day: date, count: int, rng) -> list[date]:
    """`count` days drawn evenly from first_day to last_day."""
    offsets = rng.integers(0, (last_day - first_day).days + 1, size=count)
    return [first_day + timedelta(days=int(offset)) for offset in offsets]


def add_plans(plan_size: tuple[int, int, int], adopted_on: date, rng) -> None:
    """An adopted plan for every station; the plan station's is the large one."""
    stations = db.session.execute(select(Station.id, Station.code).order_by(Station.id)).all()
    member_ids = list(db.session.scalars(select(Member.id).order_by(Member.id)))
    for index, (station_id, code) in enumerate(stations):
        if code == PLAN_STATION:
            add_large_plan(station_id, member_ids, plan_size, adopted_on, rng)
        else:
            station_history(station_id, index, 1, 50, member_ids)


def add_large_plan(station_id: int, member_ids: list[int], plan_size: tuple[int, int, int],
                   adopted: date, rng) -> None:
    """A plan with many priorities, problems (some internal) and responses, all with text."""
    priorities, problems, responses = plan_size
    plan_id = db.session.execute(insert(Plan).values(
        station_id=station_id, version=1, status=PlanStatus.ACTIVE, adopted_on=adopted,
        schedule_start_on=adopted, summary="What residents asked us to work on this year, "
        "and how we will work on it with them: prevention and partnership first.")
        .returning(Plan.id)).scalar_one()
    priority_ids = db.session.scalars(
        insert(Priority).returning(Priority.id, sort_by_parameter_order=True),
        [{"plan_id": plan_id, "position": n, "kind": list(PriorityKind)[n % 2],
          "source": list(PrioritySource)[n % len(PrioritySource)],
          "title": f"{TOPICS[n % len(TOPICS)]} ({STREETS[n % len(STREETS)].title()})",
          "description": "Raised by residents and confirmed by calls for service.",
          "evidence": f"Named by {int(rng.integers(8, 40))}% of survey respondents in this "
                      f"area and at {int(rng.integers(2, 9))} community meetings."}
         for n in range(priorities)]).all()
    problem_ids = db.session.scalars(
        insert(Problem).returning(Problem.id, sort_by_parameter_order=True),
        [{"plan_id": plan_id, "position": n, "priority_id": priority_ids[n % priorities],
          "title": f"{TOPICS[n % len(TOPICS)]}, block {100 * (n + 1)}",
          "sara_stage": list(SaraStage)[n % len(SaraStage)],
          "location": f"{100 * (n + 1)} {STREETS[n % len(STREETS)]}",
          "analysis_notes": "Most incidents happen between 6 pm and midnight on weekdays; "
                            "repeat locations and a few repeat victims account for half.",
          "is_internal": n % 10 == 9} for n in range(problems)]).all()
    db.session.execute(insert(PlannedResponse), [
        {"plan_id": plan_id, "position": n, "problem_id": problem_ids[n % problems],
         "description": f"{('Work with', 'Meet', 'Train')[n % 3]} the neighbourhood "
                        f"association on step {n // problems + 1} of the response",
         "kind": list(ResponseKind)[n % 3], "status": list(ResponseStatus)[n % 4],
         "owner_member_id": member_ids[int(rng.integers(len(member_ids)))],
         "start_on": adopted + timedelta(days=7 * (n % 20)),
         "due_on": adopted + timedelta(days=90 + 7 * (n % 30))} for n in range(responses)])


def add_engagement(count: int, first_day: date, last_day: date, rng) -> None:
    """Engagement records over the year in date order, as the periodic exports are imported.

    They are by members of uneven activity, a few with unknown shield numbers (no member, no
    station), and some are linked to their station's plan problems.
    """
    members = db.session.execute(
        select(Member.id, Member.shield_number, Member.station_id).order_by(Member.id)).all()
    problems = plan_problems_by_station()
    activity = rng.gamma(1.2, 1.0, size=len(members))
    who = rng.choice(len(members), size=count, p=activity / activity.sum()).tolist()
    unknown = (rng.random(count) < 0.03).tolist()
    linked = (rng.random(count) < 0.05).tolist()
    days = sorted(random_days(first_day, last_day, count, rng))  # stored as exports arrive
    minutes = rng.integers(-60, 1440, size=count).tolist()  # below zero: no time recorded
    call_types = rng.choice(3, size=count, p=[0.5, 0.3, 0.2]).tolist()
    places = rng.integers(100, 9999, size=count).tolist()
    times = [clock(minute // 60, minute % 60) for minute in range(1440)]

    def row(n: int) -> dict:
        member_id, shield, station_id = members[who[n]]
        if unknown[n]:
            member_id, shield, station_id = None, f"{9_000_000 + who[n] % 300}", None
        station_problems = problems.get(station_id) if linked[n] else None
        return {"occurred_on": days[n],
                "occurred_time": times[minutes[n]] if minutes[n] >= 0 else None,
                "call_type": KNOWN_CALL_TYPES[call_types[n]], "shield_number": shield,
                "location": f"{places[n]} {STREETS[places[n] % len(STREETS)]}",
                "member_id": member_id, "station_id": station_id,
                "problem_id": station_problems[n % len(station_problems)]
                if station_problems else None,
                "identity": f"bench-{n:07d}", "import_batch_id": None}

    for first in range(0, count, BATCH):
        db.session.execute(insert(EngagementRecord),
                           [row(n) for n in range(first, min(first + BATCH, count))])
        db.session.commit()


def plan_problems_by_station() -> dict[int, list[int]]:
    """The public problems of each station's active plan."""
    rows = db.session.execute(
        select(Plan.station_id, Problem.id).join(Plan, Plan.id == Problem.plan_id)
        .where(Plan.status == "active", Problem.is_internal.is_(False))).all()
    problems: dict[int, list[int]] = {}
    for station_id, problem_id in rows:
        problems.setdefault(station_id, []).append(problem_id)
    return problems


def add_updates(year: int, last_day: date, rng) -> None:
    """Two updates per station due in the year; the published ones carry response changes.

    Past ones are mostly published (on time or late), future ones mostly in draft.
    """
    plans = db.session.execute(select(Plan.id, Plan.station_id).where(
        Plan.status == "active").order_by(Plan.station_id)).all()
    halves = ((date(year, 1, 1), date(year, 6, 30)), (date(year, 7, 1), date(year, 12, 31)))
    rows = [update_row(plan_id, station_id, start, end, last_day, rng)
            for plan_id, station_id in plans for start, end in halves]
    ids = db.session.scalars(insert(PlanUpdate).returning(
        PlanUpdate.id, sort_by_parameter_order=True), rows).all()
    problems = plan_problems_by_station()
    published = [(update_id, row["station_id"]) for update_id, row in zip(ids, rows, strict=True)
                 if row["status"] == "published"]
    add_changes(published, problems, rng)


def update_row(plan_id: int, station_id: int, start: date, due_on: date, last_day: date,
               rng) -> dict:
    """One semi-annual update; approval from a month early to a month late."""
    past = due_on <= last_day
    status = rng.choice(["published", "approved", "submitted", "draft"],
                        p=[0.7, 0.1, 0.1, 0.1] if past else [0.15, 0.05, 0.25, 0.55])
    approved_on = min(due_on + timedelta(days=int(rng.integers(-30, 30))), last_day)
    approved_at = datetime(approved_on.year, approved_on.month, approved_on.day, 15, tzinfo=UTC)
    done = status in {"approved", "published"}
    return {"plan_id": plan_id, "station_id": station_id, "due_on": due_on,
            "period_start": start, "period_end": due_on, "status": str(status),
            "feedback_summary": "Residents asked for more visible patrols after dark and "
                                "quicker answers to non-emergency calls.",
            "implementation_modified": bool(rng.random() < 0.4),
            "submitted_at": approved_at - timedelta(days=5) if status != "draft" else None,
            "approved_at": approved_at if done else None,
            "published_at": approved_at + timedelta(days=1) if status == "published" else None}


def add_changes(published: list[tuple[int, int]], problems: dict[int, list[int]], rng) -> None:
    """Up to four changes per published update, about half based on community input."""
    rows = []
    for update_id, station_id in published:
        for n in range(int(rng.integers(0, 5))):
            community = bool(rng.random() < 0.5)
            topic = TOPICS[int(rng.integers(len(TOPICS)))]
            rows.append({
                "update_id": update_id, "problem_id": problems[station_id][n],
                "description": f"{topic}: add an evening foot patrol and a monthly walk "
                               "with residents", "kind": ("prevention", "partnership")[n % 2],
                "basis": "community_input_based" if community else "result_based",
                "rationale": "Asked for at the spring community meeting and in the survey"
                if community else "Calls for service did not fall after the first response"})
    if rows:
        db.session.execute(insert(ResponseChange), rows)


def add_meetings(first_day: date, last_day: date, rng) -> None:
    """10-40 meetings per station over the year, with a few items of feedback each.

    Most of them need a language other than English.
    """
    station_ids = list(db.session.scalars(select(Station.id).order_by(Station.id)))
    held = [station_id for station_id in station_ids
            for _ in range(int(rng.integers(10, 41)))]
    days = random_days(first_day, last_day, len(held), rng)
    kinds = list(MeetingKind)
    ids = db.session.scalars(insert(Meeting).returning(Meeting.id, sort_by_parameter_order=True),
                             [{"station_id": station_id, "held_on": days[n],
                               "title": f"{TOPICS[n % len(TOPICS)]}: community meeting",
                               "kind": kinds[n % len(kinds)], "place": "Community centre",
                               "attendance": int(rng.integers(5, 200))}
                              for n, station_id in enumerate(held)]).all()
    languages = []
    for meeting_id in ids:
        needed = rng.choice(MEETING_LANGUAGES, size=int(rng.integers(0, 4)), replace=False)
        languages += [{"meeting_id": meeting_id, "language_code": str(code),
                       "status": str(rng.choice(INTERPRETER_STATUSES, p=[0.7, 0.1, 0.2]))}
                      for code in needed]
    db.session.execute(insert(MeetingLanguage), languages)
    tones = list(FeedbackTone)
    db.session.execute(insert(MeetingFeedback), [
        {"meeting_id": meeting_id, "topic": TOPICS[(meeting_id + n) % len(TOPICS)],
         "text": "Residents want to know who to call and what happens next.",
         "tone": tones[(meeting_id + n) % 3]}
        for meeting_id in ids for n in range(meeting_id % 5)])


def add_outreach(first_day: date, last_day: date, rng, contacts: int = 25_000) -> None:
    """15-50 stakeholders per station of every kind, and a year of outreach contacts with them.

    Some speak for communities that may distrust police.
    """
    station_ids = list(db.session.scalars(select(Station.id).order_by(Station.id)))
    owners = [station_id for station_id in station_ids
              for _ in range(int(rng.integers(15, 51)))]
    kinds = list(StakeholderKind)
    ids = db.session.scalars(
        insert(Stakeholder).returning(Stakeholder.id, sort_by_parameter_order=True),
        [{"station_id": station_id, "name": f"{kinds[n % len(kinds)].title()} {n}",
          "kind": kinds[n % len(kinds)], "languages": ["en", MEETING_LANGUAGES[n % 8]],
          "may_distrust_police": n % 8 == 0, "active": True}
         for n, station_id in enumerate(owners)]).all()
    reached = rng.choice(len(ids), size=contacts).tolist()
    days = random_days(first_day, last_day, contacts, rng)
    methods = list(OutreachMethod)
    db.session.execute(insert(OutreachContact), [
        {"station_id": owners[who], "stakeholder_id": ids[who], "contacted_on": days[n],
         "method": methods[n % len(methods)], "purpose": "Share the plan and hear concerns",
         "outcome": "Agreed to co-host a meeting"} for n, who in enumerate(reached)])


def add_surveys(app, first_day: date, last_day: date, seed: int) -> None:
    """Template surveys (English and Spanish) with responses through the year.

    The first is the department's, the others are stations', and the last one is below the
    publication minimum.
    """
    with app.app_context():
        stations = db.session.execute(select(Station.id, Station.name).order_by(Station.id)).all()
        db.session.remove()
    days = (last_day - first_day).days + 1
    for position, count in enumerate(SURVEY_SIZES):
        survey = create_template_survey(app, ["en", "es"])
        insert_responses(app, survey, count, seed + position, last_day=last_day, days=days)
        if position:
            station_id, name = stations[position]
            with app.app_context():
                db.session.execute(update(Survey).where(Survey.id == survey["id"]).values(
                    station_id=station_id,
                    title={"en": f"{name} trust and safety survey {first_day.year}"}))
                db.session.commit()
                db.session.remove()


def data_sizes(url: str, year: int) -> dict:
    """How many rows of each kind the reports read."""
    tables = {"stations": Station, "members": Member, "engagement_records": EngagementRecord,
              "training_records": TrainingRecord, "meetings": Meeting,
              "meeting_languages": MeetingLanguage, "surveys": Survey,
              "survey_responses": SurveyResponse, "survey_answers": SurveyAnswer,
              "stakeholders": Stakeholder, "outreach_contacts": OutreachContact,
              "priorities": Priority, "problems": Problem, "planned_responses": PlannedResponse,
              "plan_updates": PlanUpdate, "response_changes": ResponseChange}
    app = app_for_url(url)
    with app.app_context():
        sizes = {name: db.session.scalar(select(func.count()).select_from(model))
                 for name, model in tables.items()}
        sizes["engagement_records_in_year"] = db.session.scalar(
            select(func.count()).select_from(EngagementRecord).where(
                EngagementRecord.occurred_on.between(date(year, 1, 1), date(year, 12, 31))))
        db.session.remove()
        db.engine.dispose()
    return sizes


# --- The reports, each in its own process --------------------------------------------------


@contextmanager
def timed(seconds: dict, name: str):
    """Record how long the block took under `name`."""
    started = time.perf_counter()
    yield
    seconds[name] = round(time.perf_counter() - started, 3)


@contextmanager
def counted_queries(engine):
    """Count the SQL statements run in the block; the count is the yielded list's length."""
    statements: list[str] = []

    def count(_connection, _cursor, statement, *_args) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def peak_rss_mib() -> float:
    """This process's peak resident memory so far."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def weasyprint_imported() -> dict:
    """Import WeasyPrint once, as a web worker or report job does.

    The figures are how long that took, and the peak RSS before the report.
    """
    started = time.perf_counter()
    import weasyprint  # noqa: F401, PLC0415 - the import is what is timed

    return {"weasyprint_import_s": round(time.perf_counter() - started, 3),
            "rss_before_report_mib": peak_rss_mib()}


def totals(seconds: dict, started: dict) -> dict:
    """The report's seconds (the phases), and with the first import of WeasyPrint added."""
    total = sum(seconds.values())
    return {"total_s": round(total, 3), **started,
            "total_with_weasyprint_import_s": round(total + started["weasyprint_import_s"], 3)}


def annual_report(url: str, year: int) -> dict:
    """The annual report, timed phase by phase; written to bench/output."""
    app = app_for_url(url)
    seconds: dict[str, float] = {}
    with app.app_context(), app.test_request_context():
        started = weasyprint_imported()
        with counted_queries(db.engine) as queries, timed(seconds, "figures_s"):
            figures = services.annual_figures(year)
        with timed(seconds, "charts_s"):
            charts = services.annual_charts(figures)
        with timed(seconds, "html_s"):
            html = render_template("reports/annual.html", generated_on=today_local().isoformat(),
                                   **figures, **charts)
        with timed(seconds, "pdf_s"):
            pdf = html_to_pdf(html)
        db.engine.dispose()
    return {**seconds, **totals(seconds, started), "peak_rss_mib": peak_rss_mib(),
            "queries": len(queries), **written(pdf, f"annual-report-{year}.pdf"),
            "html_kib": round(len(html) / 1024)}


def plan_report(url: str, station_code: str) -> dict:
    """The station's plan PDF, timed phase by phase; written to bench/output."""
    app = app_for_url(url)
    seconds: dict[str, float] = {}
    with app.app_context(), app.test_request_context():
        station = db.session.scalar(select(Station).where(Station.code == station_code))
        started = weasyprint_imported()
        with counted_queries(db.engine) as queries, timed(seconds, "context_s"):
            context = services.plan_context(station)
        with timed(seconds, "html_s"):
            html = render_template("reports/plan.html", generated_on=today_local().isoformat(),
                                   **context)
        with timed(seconds, "pdf_s"):
            pdf = html_to_pdf(html)
        plan = context["plan"]
        items = {"priorities": len(plan.priorities), "problems": len(plan.problems),
                 "responses": len(plan.responses)}
        db.engine.dispose()
    return {**seconds, **totals(seconds, started), "peak_rss_mib": peak_rss_mib(),
            "queries": len(queries), "station": station_code, **items,
            **written(pdf, f"plan-{station_code}.pdf")}


def written(pdf: bytes, name: str) -> dict:
    """Write the PDF under bench/output; its size and page count."""
    from pypdf import PdfReader  # noqa: PLC0415 - loaded after the report's peak RSS is read

    path = OUTPUT / name
    path.write_bytes(pdf)
    return {"pdf": str(path.relative_to(OUTPUT.parent.parent)),
            "pdf_kib": round(len(pdf) / 1024), "pages": len(PdfReader(io.BytesIO(pdf)).pages)}


def run_step(args) -> dict:
    """The figures of the step asked for with --step (reports under cProfile with --profile)."""
    url = database_url(args.backend)
    steps = {"build": lambda: build(args.backend, args),
             "annual": lambda: annual_report(url, args.year),
             "plan": lambda: plan_report(url, PLAN_STATION),
             "sizes": lambda: data_sizes(url, args.year)}
    if not (args.profile and args.step in {"annual", "plan"}):
        return steps[args.step]()

    profiler = cProfile.Profile()
    figures = profiler.runcall(steps[args.step])
    pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(40)
    return figures


def main() -> None:
    """Run the step named by --step with bench_reports.py's options; print its figures."""
    parser = arguments()
    parser.add_argument("--step", choices=STEPS, required=True)
    print(json.dumps(run_step(parser.parse_args())))


if __name__ == "__main__":
    main()
