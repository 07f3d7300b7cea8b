"""Test data factories: stations, members and users with sensible defaults."""

from __future__ import annotations

import itertools
from datetime import date

from cpp_app.auth.models import User
from cpp_app.extensions import db
from cpp_app.stations.models import Member, MemberLanguage, Station

PASSWORD = "correct horse battery staple"
_counter = itertools.count(1)


def fresh_transaction() -> None:
    """End the test's open transaction so the next write starts from the latest data.

    A SQLite transaction that began by reading cannot write once another connection (a live
    server thread) has committed since; browser tests therefore start each write afresh.
    """
    db.session.commit()


def make_station(code: str | None = None, name: str | None = None, **fields) -> Station:
    """A saved station."""
    fresh_transaction()
    number = next(_counter)
    station = Station(code=code or f"S{number}", name=name or f"Station {number}",
                      area_served=fields.pop("area_served", "Somewhere"), **fields)
    db.session.add(station)
    db.session.commit()
    return station


def make_member(station: Station | None = None, shield: str | None = None,
                languages: list[str] | None = None, **fields) -> Member:
    """A saved member."""
    fresh_transaction()
    number = next(_counter)
    defaults = {
        "first_name": f"First{number}",
        "last_name": f"Last{number}",
        "employment_type": "sworn",
        "assigned_to_patrol": True,
        "start_date": date(2020, 1, 1),
        "active": True,
    }
    defaults.update(fields)
    member = Member(shield_number=shield or f"{9000 + number}",
                    station_id=station.id if station else None, **defaults)
    member.languages = [MemberLanguage(language_code=code) for code in languages or []]
    db.session.add(member)
    db.session.commit()
    return member


def make_user(role: str = "admin", station: Station | None = None, email: str | None = None,
              password: str = PASSWORD, **fields) -> User:
    """A saved, active user with a known password."""
    fresh_transaction()
    number = next(_counter)
    user = User(
        email=email or f"{role}{number}@example.org",
        name=fields.pop("name", f"{role.title()} {number}"),
        role=role,
        station_id=station.id if station else None,
        **fields,
    )
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return user
