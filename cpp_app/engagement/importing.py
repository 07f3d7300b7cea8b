"""Engagement records from Community Engagement exports (CSV or Excel), a million rows at a time.

A row's identity is its normalised content plus its occurrence number among identical rows of
the same file: identical genuine rows in one file are all kept, while importing the file (or
the same quarter re-published) again adds nothing.
"""

from __future__ import annotations

from collections import Counter

import pandas as pd
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from cpp_app.engagement.models import EngagementRecord, LocationRule, ProblemLinkRule
from cpp_app.engagement.parsing import (
    normalise_call_types,
    parse_dates,
    parse_times,
    split_date_time,
)
from cpp_app.extensions import db
from cpp_app.importing.columns import FieldSpec, MissingColumnsError
from cpp_app.importing.pipeline import WriteCounts
from cpp_app.stations.models import Member

ENGAGEMENT_FIELDS = [
    FieldSpec("date", "Date", ("activity date", "incident date", "incident_time", "datetime",
                               "date time"), required=True),
    FieldSpec("time", "Time", ("activity time", "start time")),
    FieldSpec("call_type", "CallType", ("call type", "nature", "activity type", "type"),
              required=True),
    FieldSpec("shield_number", "ShieldNumber", ("shield", "shield number", "badge",
                                                "badge number", "officer")),
    FieldSpec("location", "Location", ("incident location", "incident_location", "address")),
]
HASH_KEYS = ("cpp-engagement-1", "cpp-engagement-2")
INSERT_BATCH = 50_000


class EngagementImportSpec:
    """How an engagement export becomes records (a frame-at-a-time spec for the pipeline)."""

    kind = "engagements"
    fields = ENGAGEMENT_FIELDS

    def __init__(self) -> None:
        self.batch_id: int | None = None
        self._seen: Counter = Counter()
        self.unknown_call_types: Counter = Counter()
        self._members = {shield: (member_id, station_id) for shield, member_id, station_id in
                         db.session.execute(select(Member.shield_number, Member.id,
                                                   Member.station_id))}
        self._location_rules = [(rule.pattern.lower(), rule.station_id) for rule in
                                db.session.scalars(select(LocationRule))]
        self._problem_rules = [(rule.pattern.lower(), rule.call_type, rule.problem_id)
                               for rule in db.session.scalars(select(ProblemLinkRule))]
        self._has_time_column = False

    def check_columns(self, mapped: set[str]) -> None:
        """Date and CallType are needed; Time, ShieldNumber and Location may be absent."""
        missing = [f.label for f in ENGAGEMENT_FIELDS if f.required and f.name not in mapped]
        if missing:
            raise MissingColumnsError(f"The file has no column for: {', '.join(missing)}.")
        self._has_time_column = "time" in mapped

    def validate_frame(self, frame: pd.DataFrame) -> tuple[pd.DataFrame, list[tuple[int, str]]]:
        """Parse and normalise a chunk; return the good rows and (line, reason) for the rest."""
        for column in ("call_type", "shield_number", "location"):
            if column in frame:  # undo the quote our own exports put before formula characters
                frame[column] = frame[column].str.replace(r"^'(?=[=+\-@])", "", regex=True)
        date_cells = frame["date"].str.strip()
        dates = parse_dates(date_cells)
        time_cells = frame["time"] if self._has_time_column else split_date_time(date_cells)[1]
        times, bad_times = parse_times(time_cells)
        call_types, unknown = normalise_call_types(frame["call_type"])
        rejects: list[tuple[int, str]] = []
        problems = pd.Series("", index=frame.index)
        problems[dates.isna() & (date_cells == "")] = "the date is empty"
        problems[dates.isna() & (date_cells != "")] = "date '" + date_cells + "' is not a date"
        problems[(problems == "") & bad_times] = "time '" + time_cells.str.strip() + \
            "' is not a time"
        problems[(problems == "") & (call_types == "")] = "the call type is empty"
        refused = problems != ""
        rejects = list(zip(frame["__line"][refused].tolist(), problems[refused].tolist(),
                           strict=True))
        good = ~refused
        self.unknown_call_types.update(call_types[good & unknown].tolist())
        shield = frame["shield_number"] if "shield_number" in frame else \
            pd.Series("", index=frame.index)
        location = frame["location"] if "location" in frame else pd.Series("", index=frame.index)
        clean = pd.DataFrame({
            "occurred_on": dates[good].dt.date,
            "occurred_time": times[good],
            "call_type": call_types[good],
            "shield_number": shield[good].str.replace(r"\s+", "", regex=True).str.upper()
            .str[:20],
            "location": location[good].str.strip().str.replace(r"\s+", " ", regex=True)
            .str[:255],
        })
        clean["identity"] = self._identities(clean)
        return clean, rejects

    def write_frame(self, frame: pd.DataFrame) -> WriteCounts:
        """Link the rows to members, stations and problems, then insert the new ones."""
        counts = WriteCounts()
        if frame.empty:
            return counts
        self._link(frame)
        connection = db.session.connection()
        if connection.dialect.name == "sqlite":
            rows = _sqlite_rows(frame, self.batch_id)
            for start in range(0, len(rows), INSERT_BATCH):
                counts.inserted += connection.exec_driver_sql(
                    SQLITE_INSERT, rows[start:start + INSERT_BATCH]).rowcount
        else:
            records = frame.assign(occurred_time=frame["occurred_time"].map(_time_or_none),
                                   import_batch_id=self.batch_id)
            for column in ("member_id", "station_id", "problem_id"):
                records[column] = pd.array(records[column], dtype="Int64")
            records = records.astype(object).where(records.notna(), None)
            values = records.to_dict("records")
            for start in range(0, len(values), INSERT_BATCH):
                counts.inserted += insert_records(connection, values[start:start + INSERT_BATCH])
        counts.unchanged = len(frame) - counts.inserted
        return counts

    def _identities(self, frame: pd.DataFrame) -> pd.Series:
        content = (frame["occurred_on"].astype(str) + "|" + frame["occurred_time"] + "|"
                   + frame["call_type"].str.lower() + "|" + frame["shield_number"] + "|"
                   + frame["location"].str.lower())
        previous = content.map(self._seen).fillna(0).astype(int)
        occurrence = content.groupby(content).cumcount() + previous
        self._seen.update(content.tolist())
        keyed = content + "#" + occurrence.astype(str)
        first, second = (pd.util.hash_pandas_object(keyed, index=False, hash_key=key.ljust(16)[:16])
                         for key in HASH_KEYS)
        return first.map("{:016x}".format) + second.map("{:016x}".format)

    def _link(self, frame: pd.DataFrame) -> None:
        found = frame["shield_number"].map(self._members)
        frame["member_id"] = found.map(lambda pair: pair[0] if isinstance(pair, tuple) else None)
        frame["station_id"] = found.map(lambda pair: pair[1] if isinstance(pair, tuple)
                                        else None)
        lowered = frame["location"].str.lower()
        for pattern, station_id in self._location_rules:
            mask = frame["station_id"].isna() & lowered.str.contains(pattern, regex=False)
            frame.loc[mask, "station_id"] = station_id
        frame["problem_id"] = None
        for pattern, call_type, problem_id in self._problem_rules:
            mask = frame["problem_id"].isna() & lowered.str.contains(pattern, regex=False)
            if call_type:
                mask &= frame["call_type"] == call_type
            frame.loc[mask, "problem_id"] = problem_id


#: SQLite fast path: one prepared statement and plain tuples, in the text forms SQLAlchemy
#: itself stores (dates as YYYY-MM-DD, times as HH:MM:SS.ffffff).
SQLITE_INSERT = (
    "INSERT INTO engagement_records (occurred_on, occurred_time, call_type, shield_number, "
    "location, identity, member_id, station_id, problem_id, import_batch_id) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (identity) DO NOTHING"
)


def _sqlite_rows(frame: pd.DataFrame, batch_id: int | None) -> list[tuple]:
    times = frame["occurred_time"].where(frame["occurred_time"] == "", frame["occurred_time"]
                                         + ".000000")
    columns = [
        frame["occurred_on"].astype(str).tolist(),
        [text or None for text in times.tolist()],
        frame["call_type"].tolist(), frame["shield_number"].tolist(),
        frame["location"].tolist(), frame["identity"].tolist(),
        *(_ints_or_none(frame[name]) for name in ("member_id", "station_id", "problem_id")),
        [batch_id] * len(frame),
    ]
    return list(zip(*columns, strict=True))


def _ints_or_none(series: pd.Series) -> list:
    return [None if value is None or value != value else int(value) for value in series.tolist()]


def insert_records(connection, values: list[dict]) -> int:
    """Insert records, skipping identities already stored; how many were new."""
    if connection.dialect.name == "postgresql":
        statement = pg_insert(EngagementRecord).on_conflict_do_nothing(
            index_elements=["identity"]).returning(EngagementRecord.id)
        return len(connection.execute(statement, values).all())
    statement = sqlite_insert(EngagementRecord).on_conflict_do_nothing(
        index_elements=["identity"])
    return connection.execute(statement, values).rowcount


def _time_or_none(text: str):
    from datetime import time

    if not text:
        return None
    hours, minutes, seconds = (int(part) for part in text.split(":"))
    return time(hours, minutes, seconds)
