"""Build a large department: stations, members, many plan versions with many responses."""

from __future__ import annotations

import argparse
import json
import time
from datetime import date
from pathlib import Path

from _app import bench_app
from _common import OUTPUT
from sqlalchemy import insert, select

from cpp_app.auth.models import User
from cpp_app.extensions import db
from cpp_app.plans.models import Plan, PlannedResponse, Priority, Problem
from cpp_app.stations.models import Member, Station

PASSWORD = "bench-password-123"  # noqa: S105 - a throwaway benchmark account


def generate(database, stations: int, versions: int, responses: int, members: int) -> dict:
    """Fill a fresh database and return what was made and how long it took."""
    if database.exists():
        database.unlink()
    app = bench_app(database)
    started = time.perf_counter()
    with app.app_context():
        db.create_all()
        db.session.execute(insert(Station), [
            {"code": f"S{n:03d}", "name": f"Station {n}", "area_served": "Area"}
            for n in range(stations)])
        station_ids = list(db.session.scalars(select(Station.id).order_by(Station.id)))
        db.session.execute(insert(Member), [
            {"shield_number": f"{n:06d}", "first_name": "First", "last_name": f"Last{n}",
             "station_id": station_ids[n % stations], "employment_type": "sworn",
             "assigned_to_patrol": True, "active": True}
            for n in range(members)])
        member_ids = list(db.session.scalars(select(Member.id).order_by(Member.id)))
        admin = User(email="bench-admin@example.org", name="Bench", role="admin")
        admin.set_password(PASSWORD)
        db.session.add(admin)
        db.session.flush()
        for index, station_id in enumerate(station_ids):
            station_history(station_id, index, versions, responses, member_ids)
        db.session.commit()
    return {"stations": stations, "versions_per_station": versions,
            "responses_per_plan": responses, "members": members,
            "generate_seconds": round(time.perf_counter() - started, 2)}


def station_history(station_id, index, versions, responses, member_ids) -> None:
    """`versions` plan versions of a station, the last active, each with `responses` responses."""
    previous_id = None
    problems_per_plan = max(responses // 5, 1)
    for version in range(1, versions + 1):
        plan_id = db.session.execute(insert(Plan).values(
            station_id=station_id, version=version,
            status="active" if version == versions else "superseded",
            summary="Benchmark plan", adopted_on=date(2021, 1, 31),
            schedule_start_on=date(2021, 1, 31), previous_plan_id=previous_id,
        ).returning(Plan.id)).scalar_one()
        priority_ids = db.session.scalars(insert(Priority).returning(Priority.id), [
            {"plan_id": plan_id, "kind": "public_safety", "source": "survey",
             "title": f"Priority {n}", "lineage_key": f"p{index}-{n}"} for n in range(5)
        ]).all()
        problem_ids = db.session.scalars(insert(Problem).returning(Problem.id), [
            {"plan_id": plan_id, "priority_id": priority_ids[n % 5], "title": f"Problem {n}",
             "lineage_key": f"q{index}-{n}", "position": n} for n in range(problems_per_plan)
        ]).all()
        db.session.execute(insert(PlannedResponse), [
            {"plan_id": plan_id, "problem_id": problem_ids[n % problems_per_plan],
             "description": f"Response {n} of version {version}",
             "kind": ("prevention", "partnership", "enforcement")[n % 3],
             "owner_member_id": member_ids[(index * 7 + n) % len(member_ids)],
             "lineage_key": f"r{index}-{n}", "position": n, "status": "planned"}
            for n in range(responses)
        ])
        previous_id = plan_id


def main() -> None:
    """Parse arguments, generate, print the figures as JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", default=str(OUTPUT / "department.sqlite3"))
    parser.add_argument("--stations", type=int, default=100)
    parser.add_argument("--versions", type=int, default=10)
    parser.add_argument("--responses", type=int, default=50)
    parser.add_argument("--members", type=int, default=5000)
    args = parser.parse_args()
    database = Path(args.database)
    database.parent.mkdir(parents=True, exist_ok=True)
    print(json.dumps(generate(database, args.stations, args.versions, args.responses,
                              args.members)))


if __name__ == "__main__":
    main()
