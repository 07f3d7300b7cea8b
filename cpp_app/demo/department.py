"""A realistic demo department: stations, about 200 members, and one user per role."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import func, select

from cpp_app.auth import services as auth_services
from cpp_app.auth.models import User
from cpp_app.demo.activity import seed_activity
from cpp_app.extensions import db
from cpp_app.roles import Role
from cpp_app.stations import services as station_services
from cpp_app.stations.models import Station

DEMO_PASSWORD = "demo-password-2026"  # noqa: S105 - printed for the demo on purpose
DEMO_SEED = 20261122
MEMBERS_PER_STATION = 34

DEMO_STATIONS = [
    ("CEN", "Central Station", "Downtown, the civic centre and the riverfront districts"),
    ("NTH", "North Station", "Northgate, Maple Heights and the university campus"),
    ("EST", "East Station", "Eastside, the industrial park and Fairview"),
    ("STH", "South Station", "Southport, Lakeview and the airport corridor"),
    ("WST", "West Station", "Westwood, Cedar Hills and the county fairgrounds"),
    ("VLY", "Valley Station", "The unincorporated valley communities and Route 9"),
]

FIRST_NAMES = [
    "Maria", "James", "Linh", "Robert", "Min-jun", "Patricia", "Carlos", "Jennifer", "Wei",
    "Michael", "Ana", "David", "Ji-woo", "Elizabeth", "Jose", "Susan", "Thanh", "William",
    "Grace", "Luis", "Karen", "Jun", "Daniel", "Rosa", "Thomas", "Aisha", "Kevin", "Fatima",
    "Brian", "Mei", "Angela", "Omar", "Steven", "Lucia", "Andre", "Nicole", "Hoa", "Marcus",
    "Teresa", "Samuel",
]
LAST_NAMES = [
    "Garcia", "Smith", "Nguyen", "Johnson", "Kim", "Williams", "Hernandez", "Brown", "Chen",
    "Jones", "Lopez", "Davis", "Park", "Miller", "Martinez", "Wilson", "Tran", "Anderson",
    "Reyes", "Taylor", "Lee", "Thomas", "Santos", "Moore", "Wang", "Jackson", "Cruz", "White",
    "Pham", "Harris", "Rivera", "Martin", "Choi", "Thompson", "Flores", "Robinson", "Le",
    "Walker", "Ramos", "Hall",
]
LANGUAGE_WEIGHTS = [("es", 0.22), ("zh", 0.05), ("vi", 0.05), ("ko", 0.04), ("tl", 0.04),
                    ("ar", 0.02), ("ru", 0.01)]


@dataclass(frozen=True)
class DemoLogin:
    """A demo account to print for the person starting the app."""

    email: str
    role: Role
    station_code: str | None


DEMO_LOGINS = [
    DemoLogin("admin@demo.cpp-manager.org", Role.ADMIN, None),
    DemoLogin("commander@demo.cpp-manager.org", Role.COMMANDER, "CEN"),
    DemoLogin("staff@demo.cpp-manager.org", Role.STAFF, "CEN"),
    DemoLogin("training@demo.cpp-manager.org", Role.TRAINING, None),
    DemoLogin("viewer@demo.cpp-manager.org", Role.VIEWER, None),
]


def demo_is_loaded() -> bool:
    """Whether the demo department is already in the database."""
    return db.session.scalar(select(func.count()).select_from(Station)) > 0


def seed_demo() -> dict[str, int]:
    """Create the demo department; safe to run again (existing records are left alone)."""
    rng = random.Random(DEMO_SEED)
    created = {"stations": 0, "members": 0, "users": 0}
    stations = {}
    for code, name, area in DEMO_STATIONS:
        station = db.session.scalar(select(Station).where(Station.code == code))
        if station is None:
            station = station_services.create_station(
                station_services.StationDetails(code=code, name=name, area_served=area)
            )
            created["stations"] += 1
        stations[code] = station
    shield = 1000
    for station in stations.values():
        for position in range(MEMBERS_PER_STATION):
            shield += 1
            details = _demo_member(rng, str(shield), station.id, position)
            if station_services.find_member(details.shield_number) is None:
                station_services.create_member(details)
                created["members"] += 1
        if station.commander_member_id is None:
            commander = station_services.find_member(str(shield - MEMBERS_PER_STATION + 1))
            station_services.update_station(station, station_services.StationDetails(
                code=station.code, name=station.name, area_served=station.area_served,
                commander_member_id=commander.id,
            ))
    for login in DEMO_LOGINS:
        if auth_services.find_user_by_email(login.email) is None:
            _create_demo_user(login, stations)
            created["users"] += 1
    seed_activity(stations["CEN"], rng)
    return created


def _demo_member(rng: random.Random, shield: str, station_id: int,
                 position: int) -> station_services.MemberDetails:
    sworn = position < 26 or rng.random() < 0.3
    languages = [code for code, weight in LANGUAGE_WEIGHTS if rng.random() < weight]
    start = date(2026, 11, 1) - timedelta(days=rng.randint(20, 365 * 25))
    return station_services.MemberDetails(
        shield_number=shield,
        first_name=rng.choice(FIRST_NAMES),
        last_name=rng.choice(LAST_NAMES),
        station_id=station_id,
        employment_type="sworn" if sworn else "professional",
        assigned_to_patrol=sworn and position != 0 and rng.random() < 0.8,
        start_date=start,
        active=position == 0 or rng.random() > 0.03,
        language_codes=languages,
    )


def _create_demo_user(login: DemoLogin, stations: dict[str, Station]) -> User:
    station = stations.get(login.station_code) if login.station_code else None
    member_id = None
    if login.role is Role.COMMANDER and station is not None:
        member_id = station.commander_member_id
    name = f"Demo {login.role.label}"
    return auth_services.create_user(
        auth_services.UserDetails(
            email=login.email, name=name, role=login.role,
            station_id=station.id if station else None, member_id=member_id,
        ),
        DEMO_PASSWORD,
    )


def demo_logins_text() -> str:
    """The demo accounts and their shared password, for printing."""
    lines = [f"Demo logins (password for all: {DEMO_PASSWORD}):"]
    for login in DEMO_LOGINS:
        where = f" at {login.station_code}" if login.station_code else ""
        lines.append(f"  {login.role.label:<22} {login.email}{where}")
    lines.append("The administrator and the unit commander set up two-factor authentication "
                 "(an authenticator app) at their first login.")
    return "\n".join(lines)
