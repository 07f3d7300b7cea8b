"""Which stations one import may write to: every station, or only the importer's own.

The entry works the reach out from the user an import runs for and gives it to the spec
(`ImportSpec.reach`) before the first row; a spec that resolves a row to a station asks
`allows`, and refuses the row with `refusal` when the station is outside the reach. Imports
run without a user (the command line) reach every station.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cpp_app.permissions import station_scope


@dataclass(frozen=True)
class StationReach:
    """The stations an import may write to; `station_ids` None means every station."""

    station_ids: frozenset[int] | None = None

    @property
    def is_department_wide(self) -> bool:
        """Whether the import may write to every station."""
        return self.station_ids is None

    @property
    def only_station_id(self) -> int | None:
        """The one station the import may write to, when it is bound to exactly one."""
        if self.station_ids is None or len(self.station_ids) != 1:
            return None
        return next(iter(self.station_ids))

    def allows(self, station_id: int | None) -> bool:
        """Whether a row for `station_id` may be written (None: a row for no station)."""
        return self.station_ids is None or station_id in self.station_ids

    def refusal(self, station_label: str, labels_by_id: Mapping[int, str]) -> str:
        """Why a row for the station labelled `station_label` is refused."""
        own = sorted(labels_by_id.get(station_id, str(station_id))
                     for station_id in self.station_ids or ())
        return (f"station {station_label} is outside your reach (you may import only for "
                f"{', '.join(own) or 'no station'})")


EVERY_STATION = StationReach()


def reach_of(user: Any) -> StationReach:
    """The reach of an import run for `user` (None: an operator at the command line)."""
    if user is None:
        return EVERY_STATION
    scope = station_scope(user)
    return EVERY_STATION if scope is None else StationReach(frozenset({scope}))
