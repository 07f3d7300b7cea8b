"""Stations and members, saved with sensible defaults."""

from __future__ import annotations

from datetime import date

from cpp_app.extensions import db
from cpp_app.stations.models import Member, MemberLanguage, Station
from tests.factories.base import fresh_transaction, next_number


def make_station(code: str | None = None, name: str | None = None, **fields) -> Station:
    """A saved station."""
    fresh_transaction()
    number = next_number()
    station = Station(code=code or f"S{number}", name=name or f"Station {number}",
                      area_served=fields.pop("area_served", "Somewhere"), **fields)
    db.session.add(station)
    db.session.commit()
    return station


def make_member(station: Station | None = None, shield: str | None = None,
                languages: list[str] | None = None, **fields) -> Member:
    """A saved member."""
    fresh_transaction()
    number = next_number()
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
