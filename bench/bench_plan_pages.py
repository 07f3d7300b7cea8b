"""Median time of the department overview and a station's plan page on a large department."""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from _app import bench_app
from _common import OUTPUT
from generate_department import PASSWORD, generate
from sqlalchemy import event, select

from cpp_app.extensions import db
from cpp_app.stations.models import Station


def time_page(client, url: str, runs: int) -> tuple[float, int]:
    """Median seconds over `runs` GETs of `url`, and the queries one GET runs."""
    client.get(url)  # warm caches and templates
    durations = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(url)
        durations.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    statements = []
    with client.application.app_context():
        engine = db.engine

    def listener(*_event) -> None:
        statements.append(1)

    event.listen(engine, "before_cursor_execute", listener)
    client.get(url)
    event.remove(engine, "before_cursor_execute", listener)
    return statistics.median(durations), len(statements)


def main() -> None:
    """Generate the department if needed, time both pages, print the figures as JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", default=str(OUTPUT / "department.sqlite3"))
    parser.add_argument("--runs", type=int, default=21)
    parser.add_argument("--regenerate", action="store_true")
    args = parser.parse_args()
    database = Path(args.database)
    database.parent.mkdir(parents=True, exist_ok=True)
    generated = None
    if args.regenerate or not database.exists():
        generated = generate(database, 100, 10, 50, 5000)
    app = bench_app(database)
    with app.app_context():
        station_id = db.session.scalar(select(Station.id).order_by(Station.id.desc()).limit(1))
    client = app.test_client()
    client.post("/login", data={"email": "bench-admin@example.org", "password": PASSWORD})
    overview, overview_queries = time_page(client, "/plans", args.runs)
    plan_page, plan_queries = time_page(client, f"/manage/stations/{station_id}/plan", args.runs)
    print(json.dumps({
        "generated": generated,
        "runs": args.runs,
        "overview_median_ms": round(overview * 1000, 1),
        "overview_queries": overview_queries,
        "plan_page_median_ms": round(plan_page * 1000, 1),
        "plan_page_queries": plan_queries,
    }))


if __name__ == "__main__":
    main()
