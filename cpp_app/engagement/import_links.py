"""What an engagement import links: rows outside the importer's reach, and rows left unlinked.

A station-bound importer (a commander or station staff, by upload or by an API token) writes
only their own station's records: a row of another station's member, or whose location a rule
gives to another station, is refused, and a row linked to no station becomes their station's.
Every run counts the accepted rows that link to no member and to no station, and says so.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from cpp_app.importing.pipeline import ImportNote, ImportResult, ImportSpec
from cpp_app.importing.reach import StationReach


class LinkCounts:
    """How many of an import's accepted rows link to no member, and to no station."""

    def __init__(self) -> None:
        self.rows = self.without_member = self.without_station = 0

    def add(self, frame: pd.DataFrame) -> None:
        """Count a chunk's rows about to be written."""
        self.rows += len(frame)
        self.without_member += int(frame["member_id"].isna().sum())
        self.without_station += int(frame["station_id"].isna().sum())


def within_reach(frame: pd.DataFrame, by_member: pd.Series, reach: StationReach,
                 station_codes: Mapping[int, str]
                 ) -> tuple[pd.DataFrame, list[tuple[int, str, dict]]]:
    """The linked rows the importer may write, then the others with the reason for each.

    `by_member` says which rows got their station from their member (the others from a
    location rule, or none).
    """
    stations = frame["station_id"]
    outside = (stations.notna() & ~stations.isin(list(reach.station_ids or ()))).to_numpy()
    rejects = [
        (int(row["__line"]), _refusal(row, bool(member), reach, station_codes),
         _record_cells(row))
        for (_, row), member in zip(frame[outside].iterrows(), by_member[outside],
                                    strict=True)
    ]
    kept = frame[~outside].copy()
    if reach.only_station_id is not None:
        kept["station_id"] = kept["station_id"].fillna(reach.only_station_id)
    return kept, rejects


def _refusal(row: pd.Series, by_member: bool, reach: StationReach,
             station_codes: Mapping[int, str]) -> str:
    """Why a row for a station outside the reach is refused."""
    station_id = int(row["station_id"])
    why = reach.refusal(station_codes.get(station_id, str(station_id)), station_codes)
    if by_member:
        return f"shield number {row['shield_number']} is a member of another station: {why}"
    return f"the location matches a rule for another station: {why}"


def _record_cells(row: pd.Series) -> dict[str, str]:
    """A refused row's values under the format's column names, to fix and import again."""
    return {"Date": row["occurred_on"], "Time": row["occurred_time"],
            "CallType": row["call_type"], "ShieldNumber": row["shield_number"],
            "Location": row["location"]}


def unlinked_notes(spec: ImportSpec, _result: ImportResult) -> list[ImportNote]:
    """How many accepted rows match no member and have no station, and what would link them."""
    links: LinkCounts = spec.links  # an engagement spec's counts
    if not (links.without_member or links.without_station):
        return []
    parts = []
    if links.without_member:
        why = ("the file has no ShieldNumber column" if "shield_number" not in spec.present
               else "their shield numbers are blank or unknown")
        parts.append(f"{links.without_member} of the {links.rows} accepted rows match no "
                     f"member ({why})")
    if links.without_station:
        parts.append(f"{links.without_station} of the {links.rows} accepted rows have no "
                     "station (a location rule, or the member's station, would give them one)")
    value = {"rows": links.rows, "without_member": links.without_member,
             "without_station": links.without_station}
    return [ImportNote("unlinked", value, "; ".join(parts) + ".", recorded=True)]
