"""Build a large training database: 80 stations, 50,000 members, 30 courses, 1,000,000 records.

A fresh database (SQLite file by default, or any URL with --url) gets its schema from the app's
migrations (flask_migrate.upgrade, so the covering index on training_records is the real one),
then stations of uneven size, active members (shield numbers as text with leading zeros, start
dates over 35 years with a few hundred inside the 90-day grace period), 30 courses (most count
toward the requirement, hours 1-8) and training records over the last three years, each on or
after the member's start date and unique on member + course + completion date. Rows go in with
SQLAlchemy Core insert executemany in large batches. Prints the counts and seconds as JSON.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import time
from contextlib import closing
from datetime import date, timedelta
from pathlib import Path

import numpy as np
from _app import app_for_url, migrate_schema
from _common import OUTPUT, fresh_database
from sqlalchemy import func, insert, select

from cpp_app.auth.models import User
from cpp_app.clock import today_local
from cpp_app.extensions import db
from cpp_app.stations.models import Member, Station
from cpp_app.training.models import TrainingCourse, TrainingRecord

ADMIN_EMAIL = "bench-admin@example.org"
PASSWORD = "bench-password-123"  # noqa: S105 - a throwaway benchmark account
DEFAULT_DATABASE = OUTPUT / "training.sqlite3"
RECORD_DAYS = 3 * 365
GRACE_DAYS = 90
BATCH = 100_000

FIRST_NAMES = ["James", "Maria", "Robert", "Jennifer", "Michael", "Linda", "David", "Patricia",
               "Jose", "Elizabeth", "Daniel", "Susan", "Kevin", "Jessica", "Brian", "Sarah",
               "Anthony", "Karen", "Luis", "Nancy", "Mark", "Lisa", "Steven", "Ana", "Paul",
               "Michelle", "Andrew", "Kimberly", "Joshua", "Angela", "Wei", "Priya", "Omar",
               "Fatima", "Tuan", "Keisha", "Dmitri", "Aisha", "Carlos", "Mei"]
LAST_NAMES = ["Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis",
              "Rodriguez", "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson",
              "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson",
              "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson", "Walker",
              "Young", "Allen", "King", "Wright", "Scott", "Nguyen", "Hill", "Flores", "Green",
              "O'Brien", "Kowalski", "Patel", "Chen", "Kim", "Okafor", "Rossi", "Murphy"]
#: (title, provider, code, hours, counts toward the requirement, delivery)
COURSES = [
    ("Procedural Justice and Police Legitimacy", "Police Academy", "CP-101", 8, True, "in_person"),
    ("Community Policing Fundamentals", "Police Academy", "CP-102", 4, True, "in_person"),
    ("Problem-Oriented Policing and SARA", "Police Academy", "CP-103", 8, True, "in_person"),
    ("Crisis Intervention Refresher", "Police Academy", "CIT-201", 4, True, "in_person"),
    ("De-escalation Tactics", "Police Academy", "DE-110", 6, True, "in_person"),
    ("Implicit Bias Awareness", "Online Learning Center", "IB-100", 2, True, "online"),
    ("Cultural Competency: Immigrant Communities", "Police Academy", "CC-120", 3, True,
     "in_person"),
    ("Language Access and Interpreters", "Online Learning Center", "LA-105", 1, True, "online"),
    ("Youth Engagement and Diversion", "Police Academy", "YE-130", 4, True, "in_person"),
    ("Working with Homeless Outreach Teams", "County Health", "HO-140", 3, True, "in_person"),
    ("Mental Health First Aid", "County Health", "MH-150", 8, True, "in_person"),
    ("Victim-Centered Investigations", "Police Academy", "VC-160", 4, True, "in_person"),
    ("Neighborhood Watch Partnerships", "Police Academy", "NW-170", 2, True, "in_person"),
    ("Community Meetings that Work", "Online Learning Center", "CM-180", 1, True, "online"),
    ("Hate Crimes Response", "State Standards Board", "HC-190", 3, True, "online"),
    ("Trauma-Informed Policing", "State Standards Board", "TI-200", 4, True, "in_person"),
    ("Faith Community Liaison", "Police Academy", "FL-210", 2, True, "in_person"),
    ("Business District Partnerships", "Police Academy", "BD-220", 2, True, "in_person"),
    ("Disability Awareness", "Online Learning Center", "DA-230", 2, True, "online"),
    ("LGBTQ+ Community Relations", "Online Learning Center", "LG-240", 2, True, "online"),
    ("Domestic Violence Response", "State Standards Board", "DV-250", 4, True, "in_person"),
    ("School Resource Partnerships", "Police Academy", "SR-260", 3, True, "in_person"),
    ("Restorative Justice Circles", "County Health", "RJ-270", 5, True, "in_person"),
    ("Survey Design for Community Input", "Online Learning Center", "SD-280", 1, True, "online"),
    ("Firearms Qualification", "Police Academy", "FQ-300", 8, False, "in_person"),
    ("Emergency Vehicle Operations", "Police Academy", "EV-310", 8, False, "in_person"),
    ("CPR/First Aid", "County Health", "CPR-320", 4, False, "in_person"),
    ("Legal Updates", "State Standards Board", "LU-330", 2, False, "online"),
    ("Defensive Tactics", "Police Academy", "DT-340", 6, False, "in_person"),
    ("Report Writing", "Online Learning Center", "RW-350", 3, False, "online"),
]


def sqlite_url(path: Path) -> str:
    """The URL of a SQLite file."""
    return f"sqlite:///{Path(path).resolve()}"


def fresh_sqlite(path: Path) -> str:
    """Delete the SQLite file (and its WAL) if present; its URL."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    return sqlite_url(path)


def member_rows(count: int, station_ids: list[int], today: date, grace_members: int,
                rng: np.random.Generator) -> list[dict]:
    """Active members: unique text shield numbers, uneven stations, 35 years of start dates."""
    shields = rng.choice(np.arange(1_000, 1_000_000), size=count, replace=False)
    sizes = rng.uniform(0.4, 1.6, size=len(station_ids))
    stations = rng.choice(len(station_ids), size=count, p=sizes / sizes.sum())
    # Years of service: many recent hires, a long tail to 35 years.
    service_days = np.minimum(rng.exponential(9 * 365, size=count), 35 * 365).astype(int)
    service_days = np.maximum(service_days, GRACE_DAYS + 1)
    grace = rng.choice(count, size=grace_members, replace=False)
    service_days[grace] = rng.integers(0, GRACE_DAYS, size=grace_members)
    sworn = rng.random(count) < 0.8
    firsts = rng.integers(0, len(FIRST_NAMES), size=count)
    lasts = rng.integers(0, len(LAST_NAMES), size=count)
    return [{"shield_number": f"{int(shields[n]):06d}", "first_name": FIRST_NAMES[firsts[n]],
             "last_name": LAST_NAMES[lasts[n]], "station_id": station_ids[stations[n]],
             "employment_type": "sworn" if sworn[n] else "professional",
             "assigned_to_patrol": bool(sworn[n] and n % 3 != 0),
             "start_date": today - timedelta(days=int(service_days[n])), "active": True}
            for n in range(count)]


def record_keys(member_days: np.ndarray, count: int, courses: int,
                rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`count` unique (member index, course index, days ago) triples.

    `member_days[i]` is how many days back member i's records may go (their service, at most
    three years). Members get uneven shares (some do little training); popular courses more.
    """
    members = len(member_days)
    eligible = member_days + 1
    weights = rng.gamma(1.5, 1.0, size=members) * eligible / (RECORD_DAYS + 1)
    popularity = rng.uniform(0.3, 1.7, size=courses)
    popularity /= popularity.sum()
    day_span = RECORD_DAYS + 1
    keys = np.empty(0, dtype=np.int64)
    while len(keys) < count:
        wanted = int((count - len(keys)) * 1.05) + 1_000
        who = rng.choice(members, size=wanted, p=weights / weights.sum())
        course = rng.choice(courses, size=wanted, p=popularity)
        days_ago = (rng.random(wanted) * eligible[who]).astype(np.int64)
        fresh = (who.astype(np.int64) * courses + course) * day_span + days_ago
        keys = np.unique(np.concatenate([keys, fresh]))
    keys = rng.permutation(keys)[:count]
    days_ago = keys % day_span
    course = (keys // day_span) % courses
    who = keys // day_span // courses
    order = np.lexsort((who, -days_ago))  # oldest first, as records accumulate in real life
    return who[order], course[order], days_ago[order]


def generate(url: str, *, stations: int = 80, members: int = 50_000, records: int = 1_000_000,
             grace_members: int = 300, seed: int = 2026) -> dict:
    """Fill the empty database at `url` and return what was made and how long each part took."""
    rng = np.random.default_rng(seed)
    app = app_for_url(url)
    timings = {}
    started = time.perf_counter()
    migrate_schema(app)
    timings["schema_s"] = round(time.perf_counter() - started, 2)
    with app.app_context():
        today = today_local()
        phase = time.perf_counter()
        db.session.execute(insert(Station), [
            {"code": f"S{n:02d}", "name": f"Station {n}", "area_served": f"Patrol area {n}"}
            for n in range(1, stations + 1)])
        station_ids = list(db.session.scalars(select(Station.id).order_by(Station.id)))
        db.session.execute(insert(Member), member_rows(members, station_ids, today,
                                                       grace_members, rng))
        db.session.execute(insert(TrainingCourse), [
            {"title": title, "provider": provider, "code": code, "hours": float(hours),
             "counts_toward_requirement": counts, "delivery": delivery, "active": True}
            for title, provider, code, hours, counts, delivery in COURSES])
        admin = User(email=ADMIN_EMAIL, name="Bench admin", role="admin")
        admin.set_password(PASSWORD)
        db.session.add(admin)
        db.session.commit()
        timings["members_courses_s"] = round(time.perf_counter() - phase, 2)

        phase = time.perf_counter()
        member_list = db.session.execute(
            select(Member.id, Member.start_date).order_by(Member.id)).all()
        member_ids = np.array([row.id for row in member_list])
        member_days = np.array([min((today - row.start_date).days, RECORD_DAYS)
                                for row in member_list])
        course_list = db.session.execute(
            select(TrainingCourse.id, TrainingCourse.hours).order_by(TrainingCourse.id)).all()
        who, course, days_ago = record_keys(member_days, records, len(course_list), rng)
        days = [today - timedelta(days=n) for n in range(RECORD_DAYS + 1)]
        course_ids = [row.id for row in course_list]
        course_hours = [float(row.hours) for row in course_list]
        entered = rng.random(records) < 0.1
        timings["record_keys_s"] = round(time.perf_counter() - phase, 2)

        phase = time.perf_counter()
        ids = member_ids[who].tolist()
        course_positions, days_back = course.tolist(), days_ago.tolist()
        for first in range(0, records, BATCH):
            db.session.execute(insert(TrainingRecord), [
                {"member_id": ids[n], "course_id": course_ids[course_positions[n]],
                 "completed_on": days[days_back[n]],
                 "hours_credited": course_hours[course_positions[n]],
                 "source": "entered" if entered[n] else "imported", "external_id": None,
                 "import_batch_id": None}
                for n in range(first, min(first + BATCH, records))])
            db.session.commit()
        timings["records_insert_s"] = round(time.perf_counter() - phase, 2)
        timings["records_per_s"] = round(records / timings["records_insert_s"])

        counts = {
            "stations": db.session.scalar(select(func.count()).select_from(Station)),
            "members": db.session.scalar(select(func.count()).select_from(Member)),
            "members_in_grace": db.session.scalar(select(func.count()).select_from(Member).where(
                Member.start_date > today - timedelta(days=GRACE_DAYS))),
            "courses": db.session.scalar(select(func.count()).select_from(TrainingCourse)),
            "counting_courses": db.session.scalar(select(func.count()).select_from(
                TrainingCourse).where(TrainingCourse.counts_toward_requirement)),
            "records": db.session.scalar(select(func.count()).select_from(TrainingRecord)),
            "records_this_year": db.session.scalar(select(func.count()).select_from(
                TrainingRecord).where(TrainingRecord.completed_on >= date(today.year, 1, 1))),
        }
        db.session.remove()
        db.engine.dispose()
    return {**counts, "today": today.isoformat(), **timings,
            "generate_s": round(time.perf_counter() - started, 2)}


def main() -> None:
    """Parse arguments, build the database, print the figures as JSON."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", type=Path, default=DEFAULT_DATABASE,
                        help="SQLite file to (re)create (default: %(default)s)")
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite",
                        help="postgresql: (re)create the database --pg-name on 127.0.0.1:5432")
    parser.add_argument("--pg-name", default="cpp_bench_training")
    parser.add_argument("--stations", type=int, default=80)
    parser.add_argument("--members", type=int, default=50_000)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--grace-members", type=int, default=300,
                        help="members who started inside the 90-day grace period")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    if args.backend == "sqlite":
        url = fresh_sqlite(args.database)
    else:
        url = fresh_database("postgresql", args.pg_name)
    figures = generate(url, stations=args.stations, members=args.members, records=args.records,
                       grace_members=args.grace_members, seed=args.seed)
    figures = {"backend": args.backend, "database": url.rsplit("/", 1)[-1], **figures}
    if args.backend == "sqlite":
        with closing(sqlite3.connect(args.database)) as connection:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        figures["file_mb"] = round(args.database.stat().st_size / 1e6, 1)
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
