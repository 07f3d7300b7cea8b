"""Engagement records from Community Engagement exports (CSV or Excel), a million rows at a time.

A row's identity is its normalised content plus its occurrence number among identical rows of
the same file: identical genuine rows in one file are all kept, while importing the file (or
the same quarter re-published) again adds nothing.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Connection, select

from cpp_app.engagement import services
from cpp_app.engagement.import_links import LinkCounts, unlinked_notes, within_reach
from cpp_app.engagement.models import EngagementRecord, LocationRule, ProblemLinkRule
from cpp_app.engagement.parsing import (
    iso_dates,
    normalise_call_types,
    parse_times,
    split_date_time,
    squeeze_whitespace,
    undo_formula_quotes,
)
from cpp_app.extensions import db
from cpp_app.importing.columns import FieldSpec
from cpp_app.importing.kinds import ImportKind
from cpp_app.importing.pipeline import ImportNote, ImportResult, ImportSpec, WriteCounts
from cpp_app.importing.values import each_distinct
from cpp_app.permissions import Action
from cpp_app.stations.models import Member, Station

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
TEXT_FIELDS = ("call_type", "shield_number", "location")
LINK_COLUMNS = ("member_id", "station_id", "problem_id")
HASH_KEYS = ("cpp-engagement-1", "cpp-engagement-2")
INSERT_BATCH = 50_000
#: The longest call type a record holds (its column's width).
MAX_CALL_TYPE = EngagementRecord.__table__.c.call_type.type.length
#: SQLite's page cache while an import writes: room for the identity index of a million
#: records, so that inserting into it does not keep re-reading pages.
IMPORT_CACHE_KIB = 64 * 1024


class EngagementImportSpec(ImportSpec):
    """How an engagement export becomes records (a frame-at-a-time spec for the pipeline)."""

    kind = "engagements"
    fields = ENGAGEMENT_FIELDS
    works_on_frames = True

    def __init__(self) -> None:
        self._occurrences = Occurrences()
        self.unknown_call_types: Counter = Counter()
        members = db.session.execute(select(Member.shield_number, Member.id,
                                            Member.station_id)).all()
        self._member_ids = {shield: member_id for shield, member_id, _ in members}
        self._member_stations = {shield: station_id for shield, _, station_id in members}
        self._location_rules = [(rule.pattern.lower(), rule.station_id) for rule in
                                db.session.scalars(select(LocationRule))]
        self._problem_rules = [(rule.pattern.lower(), rule.call_type, rule.problem_id)
                               for rule in db.session.scalars(select(ProblemLinkRule))]
        self._station_codes = dict(db.session.execute(select(Station.id, Station.code)).all())
        self.links = LinkCounts()

    @contextmanager
    def bulk_writes(self) -> Iterator[None]:
        """While the import writes, give SQLite a page cache the identity index fits in."""
        connection = db.session.connection()
        if connection.dialect.name != "sqlite":
            yield
            return
        driver = connection.connection.driver_connection  # outlives each chunk's commit
        usual = int(driver.execute("PRAGMA cache_size").fetchone()[0])
        driver.execute(f"PRAGMA cache_size = -{IMPORT_CACHE_KIB}")
        try:
            yield
        finally:
            driver.execute(f"PRAGMA cache_size = {usual}")

    def validate_frame(self, frame: pd.DataFrame) -> tuple[pd.DataFrame, list[tuple[int, str]]]:
        """Parse and normalise a chunk; return the good rows and (line, reason) for the rest."""
        cells = _text_cells(frame)
        date_cells = cells["date"].str.strip()
        days = iso_dates(date_cells)
        time_cells = cells["time"] if "time" in self.present else each_distinct(
            date_cells, lambda distinct: split_date_time(distinct)[1])
        times, bad_times = parse_times(time_cells)
        call_types, unknown = normalise_call_types(cells["call_type"])
        reasons = _refusals(date_cells, days, time_cells, bad_times, call_types)
        rejects = list(zip(frame["__line"].loc[reasons.index].tolist(), reasons.tolist(),
                           strict=True))
        good = ~frame.index.isin(reasons.index)
        self.unknown_call_types.update(call_types[good & unknown.to_numpy()].tolist())
        clean = pd.DataFrame({
            "occurred_on": days[good],
            "occurred_time": times[good],
            "call_type": call_types[good],
            "shield_number": _shield_numbers(cells["shield_number"][good]),
            "location": _locations(cells["location"][good]),
            "__line": frame["__line"][good],
        })
        clean["identity"] = self._identities(clean)
        return clean, rejects

    def write_frame(self, frame: pd.DataFrame) -> WriteCounts:
        """Link the rows to members, stations and problems, then insert the new ones."""
        counts = WriteCounts()
        if frame.empty:
            return counts
        self._link(frame)
        if not self.reach.is_department_wide:
            by_member = _looked_up(frame["shield_number"], self._member_stations).notna()
            frame, counts.rejected = within_reach(frame, by_member, self.reach,
                                                  self._station_codes)
        self.links.add(frame)
        if frame.empty:
            return counts
        connection = db.session.connection()
        if connection.dialect.name == "sqlite":
            counts.inserted = _insert_into_sqlite(connection, frame, self.batch_id)
        else:
            counts.inserted = _insert_into_postgresql(connection, frame, self.batch_id)
        counts.unchanged = len(frame) - counts.inserted
        return counts

    def _identities(self, frame: pd.DataFrame) -> pd.Series:
        """Each row's identity: two 64-bit hashes of its content and occurrence, in hex."""
        content = (frame["occurred_on"] + "|" + frame["occurred_time"] + "|"
                   + frame["call_type"].str.lower() + "|" + frame["shield_number"] + "|"
                   + frame["location"].str.lower())
        first, second = _hashes(content + "#0")
        occurrence = self._occurrences.number(first, second)
        repeated = occurrence > 0
        if repeated.any():
            numbers = pd.Series(occurrence[repeated], index=content.index[repeated])
            first[repeated], second[repeated] = _hashes(content[repeated] + "#"
                                                        + numbers.astype(str))
        return pd.Series(_hex_digits(first, second), index=frame.index, dtype=object)

    def _link(self, frame: pd.DataFrame) -> None:
        """Members and their stations by shield number, then stations and problems by rules."""
        frame["member_id"] = _looked_up(frame["shield_number"], self._member_ids)
        frame["station_id"] = _looked_up(frame["shield_number"], self._member_stations)
        frame["problem_id"] = pd.Series(pd.NA, index=frame.index, dtype="Int64")
        if not (self._location_rules or self._problem_rules):
            return
        lowered = frame["location"].str.lower()
        for pattern, station_id in self._location_rules:
            mask = frame["station_id"].isna() & lowered.str.contains(pattern, regex=False)
            frame.loc[mask, "station_id"] = station_id
        for pattern, call_type, problem_id in self._problem_rules:
            mask = frame["problem_id"].isna() & lowered.str.contains(pattern, regex=False)
            if call_type:
                mask &= frame["call_type"] == call_type
            frame.loc[mask, "problem_id"] = problem_id


class Occurrences:
    """How many rows of each content one file has had so far (its chunks taken in order).

    A content is known by its two 64-bit hashes, held together as one 16-byte key in a sorted
    array, so a million contents take 24 MB rather than a dictionary of a million strings.
    """

    def __init__(self) -> None:
        self._keys = np.empty(0, dtype="S16")
        self._counts = np.empty(0, dtype=np.int64)

    def number(self, first: np.ndarray, second: np.ndarray) -> np.ndarray:
        """Each row's occurrence number: how many identical rows came before it in the file."""
        keys = np.column_stack([first, second]).view("S16").ravel()
        order = np.argsort(keys, kind="stable")
        ordered = keys[order]
        starts = np.ones(len(keys), dtype=bool)
        starts[1:] = ordered[1:] != ordered[:-1]
        group = np.cumsum(starts) - 1
        group_starts = np.flatnonzero(starts)
        sizes = np.diff(np.append(group_starts, len(keys)))
        earlier = self._count_earlier(ordered[starts], sizes)
        occurrence = np.empty(len(keys), dtype=np.int64)
        occurrence[order] = np.arange(len(keys)) - group_starts[group] + earlier[group]
        return occurrence

    def _count_earlier(self, distinct: np.ndarray, sizes: np.ndarray) -> np.ndarray:
        """How many rows of each (sorted, distinct) key came before; then add these rows."""
        positions = np.searchsorted(self._keys, distinct)
        known = np.zeros(len(distinct), dtype=bool)
        inside = positions < len(self._keys)
        known[inside] = self._keys[positions[inside]] == distinct[inside]
        earlier = np.zeros(len(distinct), dtype=np.int64)
        earlier[known] = self._counts[positions[known]]
        self._counts[positions[known]] += sizes[known]
        self._keys = np.insert(self._keys, positions[~known], distinct[~known])
        self._counts = np.insert(self._counts, positions[~known], sizes[~known])
        return earlier


def _text_cells(frame: pd.DataFrame) -> dict[str, pd.Series]:
    """The chunk's cells by field, absent ones empty, with our exports' formula quotes undone."""
    empty = pd.Series("", index=frame.index, dtype="str")
    cells = {field.name: frame.get(field.name, empty) for field in ENGAGEMENT_FIELDS}
    for name in TEXT_FIELDS:
        cells[name] = undo_formula_quotes(cells[name])
    return cells


def _shield_numbers(cells: pd.Series) -> pd.Series:
    """Shield numbers without any whitespace, in capitals, at most 20 characters."""
    return squeeze_whitespace(cells, "").str.upper().str[:20]


def _locations(cells: pd.Series) -> pd.Series:
    """Locations trimmed, each run of whitespace one space, at most 255 characters."""
    return squeeze_whitespace(cells.str.strip(), " ").str[:255]


def _refusals(date_cells: pd.Series, days: pd.Series, time_cells: pd.Series,
              bad_times: pd.Series, call_types: pd.Series) -> pd.Series:
    """Why each refused row is refused (its first fault), by row; good rows are absent."""
    no_date = (days == "").to_numpy()
    blank_date = no_date & (date_cells == "").to_numpy()
    bad_time = ~no_date & bad_times.to_numpy()
    no_call_type = ~no_date & ~bad_time & (call_types == "").to_numpy()
    long_call_type = ~no_date & ~bad_time & (call_types.str.len() > MAX_CALL_TYPE).to_numpy()
    index = date_cells.index
    reasons = pd.concat([
        "date '" + date_cells[no_date & ~blank_date] + "' is not a date",
        pd.Series("the date is empty", index=index[blank_date], dtype="str"),
        "time '" + time_cells[bad_time].str.strip() + "' is not a time",
        pd.Series("the call type is empty", index=index[no_call_type], dtype="str"),
        pd.Series(f"the call type is longer than {MAX_CALL_TYPE} characters",
                  index=index[long_call_type], dtype="str"),
    ])
    return reasons.sort_index()


def _hashes(texts: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Two 64-bit hashes of each text, one per key of HASH_KEYS.

    The values are pandas' keyed SipHash as `hash_pandas_object` gives them, which is how
    identities have always been made: records stored earlier keep matching.
    """
    cells = texts.to_numpy(dtype=object)
    first, second = (pd.util.hash_array(cells, hash_key=key.ljust(16)[:16], categorize=False)
                     for key in HASH_KEYS)
    return first, second


def _hex_digits(first: np.ndarray, second: np.ndarray) -> list[str]:
    """Each row's two hashes as 32 lowercase hex digits, the first hash's 16 first."""
    digits = np.column_stack([first, second]).astype(">u8").tobytes().hex()
    return [digits[start:start + 32] for start in range(0, len(digits), 32)]


def _looked_up(keys: pd.Series, table: dict) -> pd.Series:
    """The table's value for each key, <NA> where it has none, as nullable integers."""
    if not table:
        return pd.Series(pd.NA, index=keys.index, dtype="Int64")
    return each_distinct(keys, lambda distinct: distinct.map(table)).astype("Int64")


#: SQLite fast path: one prepared statement and plain tuples, in the text forms SQLAlchemy
#: itself stores (dates as YYYY-MM-DD, times as HH:MM:SS.ffffff). A chunk whose rows link to
#: no member, station or problem leaves those columns out, binding fewer values per row.
SQLITE_INSERT = (
    "INSERT INTO engagement_records (occurred_on, occurred_time, call_type, shield_number, "
    "location, identity, import_batch_id) "
    "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (identity) DO NOTHING"
)
SQLITE_INSERT_LINKED = (
    "INSERT INTO engagement_records (occurred_on, occurred_time, call_type, shield_number, "
    "location, identity, import_batch_id, member_id, station_id, problem_id) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (identity) DO NOTHING"
)


def _insert_into_sqlite(connection: Connection, frame: pd.DataFrame, batch_id: int | None) -> int:
    """Insert the rows with SQLite's driver directly; how many were new."""
    linked = bool(frame[list(LINK_COLUMNS)].notna().to_numpy().any())
    statement = SQLITE_INSERT_LINKED if linked else SQLITE_INSERT
    rows = _sqlite_rows(frame, batch_id, linked)
    inserted = 0
    for start in range(0, len(rows), INSERT_BATCH):
        inserted += connection.exec_driver_sql(statement,
                                               rows[start:start + INSERT_BATCH]).rowcount
    return inserted


def _sqlite_rows(frame: pd.DataFrame, batch_id: int | None, linked: bool) -> list[tuple]:
    """The rows as tuples for SQLITE_INSERT, or SQLITE_INSERT_LINKED when `linked`."""
    columns = [
        frame["occurred_on"].tolist(), _stored_times(frame["occurred_time"]),
        frame["call_type"].tolist(), frame["shield_number"].tolist(),
        frame["location"].tolist(), frame["identity"].tolist(), [batch_id] * len(frame),
    ]
    if linked:
        columns += [frame[name].to_numpy(dtype=object, na_value=None).tolist()
                    for name in LINK_COLUMNS]
    return list(zip(*columns, strict=True))


def _stored_times(times: pd.Series) -> list:
    """Times as SQLAlchemy stores them in SQLite (HH:MM:SS.ffffff); None for no time."""
    return each_distinct(times, lambda distinct: pd.Series(
        [f"{text}.000000" if text else None for text in distinct], dtype=object)).tolist()


#: PostgreSQL: each chunk is copied into a session-local staging table (COPY is the fast way
#: in), then moved across with one INSERT … SELECT that skips identities already stored.
POSTGRES_STAGE = (
    "CREATE TEMPORARY TABLE IF NOT EXISTS engagement_import_stage ("
    "position bigint, occurred_on date, occurred_time time, call_type text, "
    "shield_number text, location text, identity text, member_id integer, "
    "station_id integer, problem_id integer)"
)
STAGED_COLUMNS = ("position", "occurred_on", "occurred_time", "call_type", "shield_number",
                  "location", "identity", *LINK_COLUMNS)
POSTGRES_MOVE_STAGED = (
    "INSERT INTO engagement_records (occurred_on, occurred_time, call_type, shield_number, "
    "location, identity, member_id, station_id, problem_id, import_batch_id) "
    "SELECT occurred_on, occurred_time, call_type, shield_number, location, identity, "
    "member_id, station_id, problem_id, %(batch_id)s FROM engagement_import_stage "
    "ORDER BY position ON CONFLICT (identity) DO NOTHING"
)


def _insert_into_postgresql(connection: Connection, frame: pd.DataFrame,
                            batch_id: int | None) -> int:
    """Copy the rows into the staging table, then insert the new ones; how many were new."""
    connection.exec_driver_sql(POSTGRES_STAGE)
    connection.exec_driver_sql("TRUNCATE engagement_import_stage")
    with connection.connection.driver_connection.cursor() as cursor, cursor.copy(
            f"COPY engagement_import_stage ({', '.join(STAGED_COLUMNS)}) FROM STDIN") as copy:
        for row in _staged_rows(frame):
            copy.write_row(row)
    return connection.exec_driver_sql(POSTGRES_MOVE_STAGED, {"batch_id": batch_id}).rowcount


def _staged_rows(frame: pd.DataFrame) -> Iterator[tuple]:
    """The rows in STAGED_COLUMNS order, as text and numbers COPY takes (None for NULL)."""
    stated_times = frame["occurred_time"]
    times = stated_times.mask(stated_times.eq("")).to_numpy(dtype=object, na_value=None)
    links = [frame[name].to_numpy(dtype=object, na_value=None) for name in LINK_COLUMNS]
    return zip(range(len(frame)), frame["occurred_on"].tolist(), times.tolist(),
               frame["call_type"].tolist(), frame["shield_number"].tolist(),
               frame["location"].tolist(), frame["identity"].tolist(),
               *(column.tolist() for column in links), strict=True)


def engagement_spec(_options: Mapping[str, Any]) -> EngagementImportSpec:
    """A fresh engagement import (it takes no options)."""
    return EngagementImportSpec()


def engagement_notes(spec: EngagementImportSpec, result: ImportResult) -> list[ImportNote]:
    """What to say about any run: the call types kept as given, and the rows left unlinked."""
    return call_type_notes(spec, result) + unlinked_notes(spec, result)


def call_type_notes(spec: EngagementImportSpec, _result: ImportResult) -> list[ImportNote]:
    """The call types that are none of the known three, kept as the file gave them."""
    unknown = dict(spec.unknown_call_types.most_common())
    if not unknown:
        return []
    return [ImportNote("unknown_call_types", unknown, "Call types kept as given: " + ", ".join(
        f"{name} ({count})" for name, count in unknown.items()), recorded=True)]


def link_earlier_records(_spec: EngagementImportSpec, _result: ImportResult) -> list[ImportNote]:
    """Link earlier records to members who now exist, then apply the location and problem rules.

    The import links its own rows as it writes them; this catches records imported before
    their member, or before a rule that fits them.
    """
    linked = (services.link_members() + services.apply_location_rules()
              + services.apply_problem_rules())
    return [ImportNote("links_updated", linked, f"Links updated on {linked} earlier records.")]


ENGAGEMENT_IMPORT = ImportKind(
    name="engagements", label="Engagement records", fields=ENGAGEMENT_FIELDS,
    make_spec=engagement_spec, action=Action.IMPORT_ENGAGEMENT, describe=engagement_notes,
    after_import=link_earlier_records, chunk_size=50_000,
    upload_endpoint="engagement.import_upload", station_scoped=True)
