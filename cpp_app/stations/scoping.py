"""Which stations the current user's pages show.

Commanders and staff see their own station; department-wide roles see every station, or the
one asked for.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import request
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from cpp_app.choices import select_choices
from cpp_app.permissions import station_scope
from cpp_app.stations.models import Station
from cpp_app.stations.services import all_stations
from cpp_app.viewhelpers import optional_int


def station_choices(stations: Iterable[Station], empty_label: str | None = None
                    ) -> list[SelectChoice]:
    """Select-list choices for stations, optionally led by an empty choice."""
    pairs = [(str(station.id), station.label) for station in stations]
    if empty_label is not None:
        pairs.insert(0, ("", empty_label))
    return select_choices(pairs)


def visible_stations() -> list[Station]:
    """The stations the current user may see: their own for commanders and staff, else all."""
    scope = station_scope(current_user)
    return [station for station in all_stations() if scope is None or station.id == scope]


def scoped_station_id(requested: str | None = None) -> int | None:
    """The station a list should show, or None for the whole department.

    That is the user's own when they are station-bound, else the one requested in the query
    string.
    """
    scope = station_scope(current_user)
    return scope if scope is not None else optional_int(
        request.args.get("station") if requested is None else requested)
