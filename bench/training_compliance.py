"""Training at scale: 50,000 members and 1,000,000 records; the dashboard's median time and the
import rate of a 100,000-row export. Prints JSON on its last line."""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from datetime import date, timedelta

from _common import OUTPUT, bench_app
from sqlalchemy import event, insert, select

PASSWORD = "bench-password-123"  # noqa: S105 - a throwaway benchmark account


def generate(app, members: int, records: int, rng: random.Random) -> dict:
    """Fill the database: stations, members, courses and unique training records."""
    from cpp_app.auth.models import User
    from cpp_app.extensions import db
    from cpp_app.stations.models import Member, Station
    from cpp_app.training.models import TrainingCourse, TrainingRecord

    started = time.perf_counter()
    with app.app_context():
        db.create_all()
        db.session.execute(insert(Station), [{"code": f"S{n:02d}", "name": f"Station {n}",
                                              "area_served": ""} for n in range(80)])
        station_ids = list(db.session.scalars(select(Station.id)))
        today = date.today()
        db.session.execute(insert(Member), [
            {"shield_number": f"{n:06d}", "first_name": "F", "last_name": f"L{n}",
             "station_id": station_ids[n % 80], "employment_type": "sworn",
             "assigned_to_patrol": True, "active": True,
             "start_date": today - timedelta(days=30 if n % 150 == 0 else 400 + n % 5000)}
            for n in range(members)])
        db.session.execute(insert(TrainingCourse), [
            {"title": f"Course {n}", "provider": "Academy", "code": f"C{n}",
             "delivery": "in_person", "hours": 1 + n % 8,
             "counts_toward_requirement": n % 5 != 0, "active": True} for n in range(30)])
        admin = User(email="bench-admin@example.org", name="Bench", role="admin")
        admin.set_password(PASSWORD)
        db.session.add(admin)
        member_ids = list(db.session.scalars(select(Member.id)))
        course_ids = list(db.session.scalars(select(TrainingCourse.id)))
        per_member, batch = records // members, []
        for member_id in member_ids:
            days = rng.sample(range(1, 3 * 365), per_member)
            for day in days:
                batch.append({"member_id": member_id, "course_id": rng.choice(course_ids),
                              "completed_on": today - timedelta(days=day),
                              "hours_credited": float(rng.randint(1, 8)),
                              "source": "imported"})
            if len(batch) >= 100_000:
                db.session.execute(insert(TrainingRecord), batch)
                batch = []
        if batch:
            db.session.execute(insert(TrainingRecord), batch)
        db.session.commit()
    return {"members": members, "records": per_member * members,
            "generate_s": round(time.perf_counter() - started, 1)}


def time_dashboard(app, runs: int) -> dict:
    """Median and max of GET /training as an admin, and its query count."""
    from cpp_app.extensions import db

    client = app.test_client()
    client.post("/login", data={"email": "bench-admin@example.org", "password": PASSWORD})
    client.get("/training")
    durations = []
    for _ in range(runs):
        started = time.perf_counter()
        assert client.get("/training").status_code == 200
        durations.append(time.perf_counter() - started)
    statements = []
    with app.app_context():
        engine = db.engine
    listener = lambda *args: statements.append(1)  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    client.get("/training")
    event.remove(engine, "before_cursor_execute", listener)
    return {"dashboard_median_ms": round(statistics.median(durations) * 1000, 1),
            "dashboard_max_ms": round(max(durations) * 1000, 1),
            "dashboard_queries": len(statements)}


def time_import(app, rows: int, members: int, rng: random.Random) -> dict:
    """Write a `rows`-line export of new records and import it twice."""
    from cpp_app.audit.services import acting_as
    from cpp_app.training.services import import_training_file

    path = OUTPUT / "training-export.csv"
    future_free = date.today() - timedelta(days=4 * 365)
    with path.open("w") as handle:
        handle.write("Employee ID,Course,Completion Date,Hours\n")
        for n in range(rows):
            day = future_free - timedelta(days=n // members)
            handle.write(f"{n % members:06d},Course {1 + n % 29},{day:%m/%d/%Y},"
                         f"{rng.randint(1, 4)}\n")
    figures = {}
    for label in ("first", "again"):
        with app.app_context(), acting_as("bench"):
            started = time.perf_counter()
            result, _ = import_training_file(path, filename=path.name, today=date.today())
            seconds = time.perf_counter() - started
        figures[f"import_{label}_s"] = round(seconds, 2)
        figures[f"import_{label}_rows_per_s"] = round(rows / seconds)
        figures[f"import_{label}_summary"] = result.summary
    return figures


def main() -> None:
    """Generate (or reuse) the database, time the dashboard and an import, print JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--members", type=int, default=50_000)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--import-rows", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    OUTPUT.mkdir(parents=True, exist_ok=True)
    database = OUTPUT / "training.sqlite3"
    database.unlink(missing_ok=True)
    rng = random.Random(7)
    app = bench_app(database)
    figures = generate(app, args.members, args.records, rng)
    figures.update(time_dashboard(app, args.runs))
    figures.update(time_import(app, args.import_rows, args.members, rng))
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
