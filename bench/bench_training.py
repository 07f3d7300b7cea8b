"""Time the training compliance dashboard and a 100,000-row training import at scale.

Runs over the database built by generate_training.py (bench/output/training.sqlite3 by default;
generated first when missing, or with --regenerate; --backend postgresql builds a fresh
PostgreSQL database on 127.0.0.1:5432 and drops it afterwards unless --keep).

(a) Dashboard: an admin logs in through the test client; GET /training runs once to warm up,
then R timed times (median and max), then once more counting its SQL statements. The same is
done for compliance.compliance_frame alone, and each step of the page is timed on its own (the
aggregate query's execute + fetch on the raw DB-API cursor, the frame, the status columns,
summarise, the sorted short list, due soon) so a slow page shows where its time goes.

(b) Import: writes a CSV export ("Employee ID,Employee Name,Course,Completion Date,Hours",
MM/DD/YYYY dates, existing shield numbers and course titles, past dates, none already recorded,
at most one row per member and day) and imports it with
cpp_app.training.services.import_training_file in an app context (today = today_local()), as
the mapping page would after the coordinator maps "Course" to the course title; then imports the
same file again, which must insert nothing. The import adds its rows to the database: the
figures say how many records the dashboard was timed over; use --regenerate for a clean start.

Prints the figures as JSON on the last line.
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import io
import json
import pstats
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import pandas as pd
from _app import app_for_url
from _common import OUTPUT, drop_database, fresh_database
from generate_training import (
    ADMIN_EMAIL,
    DEFAULT_DATABASE,
    PASSWORD,
    RECORD_DAYS,
    fresh_sqlite,
    generate,
    sqlite_url,
)
from sqlalchemy import event, func, select

from cpp_app.audit.services import acting_as
from cpp_app.clock import today_local
from cpp_app.database import writing
from cpp_app.extensions import db
from cpp_app.stations.models import Member
from cpp_app.training import compliance
from cpp_app.training.models import TrainingCourse, TrainingRecord
from cpp_app.training.services import import_training_file

#: What the coordinator picks on the mapping page: the export's "Course" holds course titles.
IMPORT_MAPPING = {"Course": "course_title"}
EXPORT_HEADER = ["Employee ID", "Employee Name", "Course", "Completion Date", "Hours"]


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 1)


def timed(function, runs: int) -> tuple[list[float], object]:
    """Run `function` once to warm up, then `runs` times; the durations and the last result."""
    result = function()
    durations = []
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        durations.append(time.perf_counter() - started)
    return durations, result


def count_statements(engine, function) -> list[str]:
    """The SQL statements `function` runs."""
    statements = []

    def listener(_conn, _cursor, statement, _parameters, _context, _executemany):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", listener)
    try:
        function()
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    return statements


def time_dashboard(app, runs: int, profile: bool) -> dict:
    """GET /training as an admin: median, max, and the queries one request runs."""
    client = app.test_client()
    login = client.post("/login", data={"email": ADMIN_EMAIL, "password": PASSWORD})
    if login.status_code != 302:
        raise SystemExit(f"login answered {login.status_code}")

    def get():
        response = client.get("/training")
        if response.status_code != 200:
            raise SystemExit(f"/training answered {response.status_code}")
        return response

    durations, response = timed(get, runs)
    with app.app_context():
        engine = db.engine
    statements = count_statements(engine, get)
    figures = {"dashboard_median_ms": _ms(statistics.median(durations)),
               "dashboard_max_ms": _ms(max(durations)),
               "dashboard_runs_ms": [_ms(d) for d in durations],
               "dashboard_queries": len(statements),
               "dashboard_html_kb": round(len(response.data) / 1024, 1)}
    if profile:
        profiler = cProfile.Profile()
        profiler.runcall(get)
        report = io.StringIO()
        pstats.Stats(profiler, stream=report).sort_stats("cumulative").print_stats(30)
        print(report.getvalue(), file=sys.stderr)
    return figures


def time_compliance_steps(app, runs: int) -> dict:
    """compliance_frame alone, and each step the dashboard takes, timed on its own."""
    figures = {}
    with app.app_context():
        rule, today = compliance.current_rule(), today_local()
        durations, frame = timed(lambda: compliance.compliance_frame(rule, today), runs)
        figures["compliance_frame_median_ms"] = _ms(statistics.median(durations))
        figures["compliance_frame_max_ms"] = _ms(max(durations))
        statements = count_statements(db.engine,
                                      lambda: compliance.compliance_frame(rule, today))
        figures["compliance_frame_queries"] = len(statements)

        # The aggregate query alone: capture its SQL and parameters, run it on the raw cursor.
        captured = []

        def capture(_conn, _cursor, statement, parameters, _context, _executemany):
            captured.append((statement, parameters))

        event.listen(db.engine, "before_cursor_execute", capture)
        compliance.compliance_frame(rule, today)
        event.remove(db.engine, "before_cursor_execute", capture)
        statement, parameters = captured[-1]
        raw = db.session.connection().connection.dbapi_connection

        def query_only():
            cursor = raw.cursor()
            cursor.execute(statement, parameters)
            rows = cursor.fetchall()
            cursor.close()
            return rows

        steps = {"query_execute_fetch": query_only}
        rows = query_only()

        steps["dataframe_build"] = lambda: pd.DataFrame(
            [tuple(row) for row in rows], columns=compliance.FRAME_COLUMNS)
        base = steps["dataframe_build"]()
        steps["status_columns"] = lambda: compliance._with_status(base.copy(), rule, today)
        steps["summarise"] = lambda: compliance.summarise(frame)
        steps["short_members_sorted"] = lambda: compliance.short_members(frame)
        steps["due_soon"] = lambda: compliance.due_soon(frame)
        steps["short_page_to_dict"] = lambda: compliance.short_members(frame).iloc[:50].to_dict(
            "records")
        for name, step in steps.items():
            durations, _ = timed(step, runs)
            figures[f"step_{name}_median_ms"] = _ms(statistics.median(durations))
        department, stations = compliance.summarise(frame)
        figures["department"] = {"members": department.members, "counted": department.counted,
                                 "compliant": department.compliant,
                                 "in_grace": department.in_grace,
                                 "percent": department.percent}
        figures["short_total"] = int(frame["short"].sum())
        figures["due_soon_total"] = int(frame["due_soon"].sum())
        figures["rule"] = {"hours": rule.hours, "period": rule.period,
                           "grace_days": rule.grace_days}
        db.session.remove()
    return figures


def write_export(app, path: Path, rows: int, seed: int) -> dict:
    """A CSV export of `rows` new past records for existing members and courses."""
    started = time.perf_counter()
    rng = random.Random(seed)
    with app.app_context():
        today = today_local()
        members = db.session.execute(select(
            Member.id, Member.shield_number, Member.first_name, Member.last_name,
            Member.start_date).where(Member.active)).all()
        courses = db.session.execute(select(
            TrainingCourse.id, TrainingCourse.title, TrainingCourse.hours)).all()
        existing = set(db.session.execute(select(
            TrainingRecord.member_id, TrainingRecord.course_id,
            TrainingRecord.completed_on)))
        db.session.remove()
    used_days: set[tuple[int, date]] = set()
    lines = []
    while len(lines) < rows:
        member = rng.choice(members)
        service = (today - member.start_date).days if member.start_date else RECORD_DAYS
        span = min(service, RECORD_DAYS)
        if span < 1:
            continue
        day = today - timedelta(days=rng.randint(1, span))
        course = rng.choice(courses)
        if (member.id, day) in used_days or (member.id, course.id, day) in existing:
            continue
        used_days.add((member.id, day))
        lines.append((member.shield_number, day,
                      f"{member.last_name.upper()}, {member.first_name.upper()}", course.title,
                      course.hours))
    lines.sort(key=lambda line: (line[0], line[1]))
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\r\n")
        writer.writerow(EXPORT_HEADER)
        writer.writerows((shield, name, title, f"{day:%m/%d/%Y}", f"{hours:.2f}")
                         for shield, day, name, title, hours in lines)
    return {"export_rows": rows, "export_mb": round(path.stat().st_size / 1e6, 2),
            "export_write_s": round(time.perf_counter() - started, 2)}


def time_import(app, path: Path, profile: bool) -> dict:
    """Import the export, then the same file again; seconds, rows per second, the counts."""
    with path.open(encoding="utf-8") as handle:
        rows = sum(1 for _ in handle) - 1
    figures = {}
    for label in ("import", "reimport"):
        with app.app_context(), acting_as("bench"), writing():
            profiler = cProfile.Profile() if profile else None
            started = time.perf_counter()
            if profiler:
                profiler.enable()
            result, new_courses = import_training_file(
                path, filename=path.name, today=today_local(), mapping=IMPORT_MAPPING)
            if profiler:
                profiler.disable()
            seconds = time.perf_counter() - started
            records = db.session.scalar(select(func.count()).select_from(TrainingRecord))
            db.session.remove()
        figures[f"{label}_s"] = round(seconds, 2)
        figures[f"{label}_rows_per_s"] = round(rows / seconds)
        figures[f"{label}_summary"] = result.summary
        figures[f"{label}_new_courses"] = len(new_courses)
        figures[f"records_after_{label}"] = records
        if profiler:
            report = io.StringIO()
            pstats.Stats(profiler, stream=report).sort_stats("tottime").print_stats(25)
            print(f"--- {label} profile ---\n{report.getvalue()}", file=sys.stderr)
    return figures


def database_counts(app) -> dict:
    """How many members and training records the timings ran over."""
    with app.app_context():
        counts = {"members": db.session.scalar(select(func.count()).select_from(Member)),
                  "records": db.session.scalar(select(func.count()).select_from(TrainingRecord))}
        db.session.remove()
    return counts


def main() -> None:
    """Build or reuse the database, time the dashboard and the import, print JSON."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--database", type=Path, default=DEFAULT_DATABASE,
                        help="SQLite file (default: %(default)s)")
    parser.add_argument("--pg-name", default="cpp_bench_training",
                        help="PostgreSQL database to (re)create (default: %(default)s)")
    parser.add_argument("--keep", action="store_true",
                        help="keep the PostgreSQL database afterwards")
    parser.add_argument("--regenerate", action="store_true",
                        help="rebuild the SQLite database even if it exists")
    parser.add_argument("--members", type=int, default=50_000, help="when generating")
    parser.add_argument("--records", type=int, default=1_000_000, help="when generating")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--period", choices=("calendar-year", "rolling-12-months", "career"),
                        default="calendar-year",
                        help="CPP_TRAINING_PERIOD for the dashboard (default: %(default)s, the "
                             "app's default; career sums every record)")
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument("--export", type=Path, default=OUTPUT / "training-export-bench.csv")
    parser.add_argument("--skip-dashboard", action="store_true")
    parser.add_argument("--skip-import", action="store_true")
    parser.add_argument("--profile", action="store_true",
                        help="print cProfile reports of one dashboard GET and the imports to "
                             "stderr")
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args()

    generated = None
    if args.backend == "postgresql":
        url = fresh_database("postgresql", args.pg_name)
        generated = generate(url, members=args.members, records=args.records)
    elif args.regenerate or not args.database.exists():
        url = fresh_sqlite(args.database)
        generated = generate(url, members=args.members, records=args.records)
    else:
        url = sqlite_url(args.database)
    app = app_for_url(url, CPP_TRAINING_PERIOD=args.period)
    figures = {"backend": args.backend, "runs": args.runs, "generated": generated,
               "timed_over": database_counts(app)}
    try:
        if not args.skip_dashboard:
            figures.update(time_dashboard(app, args.runs, args.profile))
            figures.update(time_compliance_steps(app, args.runs))
        if not args.skip_import:
            figures.update(write_export(app, args.export, args.import_rows, args.seed))
            figures.update(time_import(app, args.export, args.profile))
    finally:
        if args.backend == "postgresql":
            with app.app_context():
                db.engine.dispose()
            if not args.keep:
                drop_database(url)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
