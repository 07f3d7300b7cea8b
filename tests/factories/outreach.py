"""Volunteers of the language registry, saved through the outreach service."""

from __future__ import annotations

from cpp_app.audit.services import acting_as
from cpp_app.outreach import language_access
from cpp_app.outreach.models import Volunteer
from cpp_app.stations.models import Station


def make_volunteer(station: Station | None, name: str = "Grace Choi",
                   languages: list[str] | None = None, **fields) -> Volunteer:
    """A saved volunteer of `station` (department-wide when None), speaking Korean by default."""
    with acting_as("test"):
        return language_access.save_volunteer(language_access.VolunteerDetails(
            name=name, station_id=station.id if station else None,
            languages=languages or ["ko"], **fields))
