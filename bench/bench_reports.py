"""Time the annual report and a station plan PDF over a department-sized database.

The database (SQLite file bench/output/reports.sqlite3 by default; PostgreSQL cpp_bench_reports
with --backend postgresql) gets its schema, 80 stations of uneven size, 50,000 members and
1,000,000 training records from generate_training (the app's migrations), then, with Core
executemany in batches: 1,000,000 engagement records spread over the members, their stations
and the report year, stored in date order as the periodic exports are imported (a few with
unknown shield numbers, some linked to plan problems); an
adopted plan per station (generate_department's plans) and one station's large plan with many
priorities, problems and responses; two semi-annual updates per station due in the year, the
published ones with result-based and community-input-based changes; community meetings with
the languages they needed and what was said; stakeholders and a year of outreach; and template
surveys with responses through the year (one below the publication minimum). --reuse keeps a
database built by an earlier run.

Then, each in its own process (the build too, so each peak RSS is that report's own): the
annual report for the year, timed per phase (figures from the database, charts, HTML, PDF) with
its SQL query count, and the large station's plan PDF. Both PDFs are written to bench/output.
Prints the figures as JSON on its last line.

This script only parses arguments and starts the steps, which run in report_steps.py: a child
process's peak RSS starts from its parent's, so the parent loads neither the app nor pandas.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from _common import OUTPUT, POSTGRES_SERVER

DATABASE_NAME = "cpp_bench_reports"
SQLITE_FILE = OUTPUT / "reports.sqlite3"
STEPS_SCRIPT = Path(__file__).with_name("report_steps.py")
STEPS = ("build", "annual", "plan", "sizes")
TARGETS = {"annual_seconds": 60, "annual_peak_rss_mib": 1.5 * 1024, "plan_seconds": 3}
COLD = "total_with_weasyprint_import_s"  # the targets hold even for a fresh process


def database_url(backend: str) -> str:
    """Where the benchmark's database lives (without creating or emptying it)."""
    if backend == "sqlite":
        return f"sqlite:///{SQLITE_FILE}"
    server = POSTGRES_SERVER
    return (f"postgresql+psycopg://{server['user']}@{server['host']}:{server['port']}/"
            f"{DATABASE_NAME}")


def database_built(backend: str) -> bool:
    """Whether an earlier run left a database to reuse."""
    if backend == "sqlite":
        return SQLITE_FILE.exists()
    import psycopg  # noqa: PLC0415 - kept out of parents of measured processes

    with psycopg.connect(**POSTGRES_SERVER, autocommit=True) as connection:
        return connection.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                                  (DATABASE_NAME,)).fetchone() is not None


def arguments() -> argparse.ArgumentParser:
    """The options of this script, which report_steps.py reads too."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--reuse", action="store_true",
                        help="reuse the database built by an earlier run (built if missing)")
    parser.add_argument("--year", type=int, default=datetime.now(UTC).year)
    parser.add_argument("--members", type=int, default=50_000)
    parser.add_argument("--engagement-records", type=int, default=1_000_000)
    parser.add_argument("--training-records", type=int, default=1_000_000)
    parser.add_argument("--plan-size", type=int, nargs=3, default=(20, 50, 250),
                        metavar=("PRIORITIES", "PROBLEMS", "RESPONSES"),
                        help="the large station plan (default: 20 50 250)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--profile", action="store_true",
                        help="print cProfile reports of each report to stderr")
    return parser


def in_own_process(step: str) -> dict:
    """Run one step (build, annual, plan, sizes) in a fresh interpreter; its figures.

    A child's peak RSS starts from its parent's at the fork, so the parent stays small: it
    only parses arguments and starts the steps.
    """
    command = [sys.executable, str(STEPS_SCRIPT), *sys.argv[1:], "--step", step]
    output = subprocess.run(command, check=True, stdout=subprocess.PIPE, text=True)
    return json.loads(output.stdout.strip().splitlines()[-1])


def main() -> None:
    """Build (or reuse) the database, run both reports, print the figures as JSON."""
    args = arguments().parse_args()
    reused = args.reuse and database_built(args.backend)
    built = None if reused else in_own_process("build")
    load_before = os.getloadavg()[0]
    annual, plan = in_own_process("annual"), in_own_process("plan")
    load_after = os.getloadavg()[0]
    print(json.dumps({
        "backend": args.backend, "database": database_url(args.backend).rsplit("/", 1)[-1],
        "year": args.year, "reused": reused, "built": built, "data": in_own_process("sizes"),
        "cpus": os.cpu_count(), "load_average_1min": {"before": round(load_before, 2),
                                                      "after": round(load_after, 2)},
        "annual_report": annual, "plan_report": plan, "targets": TARGETS,
        "targets_met": {
            "annual_under_60_s": annual[COLD] < TARGETS["annual_seconds"],
            "annual_under_1_5_gib": annual["peak_rss_mib"] < TARGETS["annual_peak_rss_mib"],
            "plan_under_3_s": plan[COLD] < TARGETS["plan_seconds"]},
    }))


if __name__ == "__main__":
    main()
