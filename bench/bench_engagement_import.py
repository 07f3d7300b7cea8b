"""Import a Community Engagement file in the real format (with its quirks) into SQLite, twice.

The imports are compared with a baseline measured in the same run: pandas read_csv (dtype=str,
keep_default_na=False) of the same file plus one executemany of its rows, as read, into a bare
five-text-column table in a fresh database file.

Each phase (baseline, migration, first import, second import) runs in its own process, so each
peak RSS is that phase's own. The generator counts every quirk it wrote, and from those counts
the figures the import should report; the script checks them. Prints JSON on its last line.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from _common import OUTPUT

KNOWN_CALL_TYPES = ("COP Relationships", "COP Problem Solving", "COP Activity")
UNKNOWN_CALL_TYPES = ("COP DDACTS", "Traffic Stop", "cop follow-up")
STREETS = ("MAIN ST", "W LINDSEY ST", "E ALAMEDA ST", "N PORTER AVE", "24TH AVE NW",
           "CLASSEN BLVD", "ROBINSON ST", "S BERRY RD", "BOYD ST", "JENKINS AVE")
EXCEL_EPOCH = date(1899, 12, 30)
QUARTERS = 40  # the file spans ten years of quarterly exports
REPUBLISHED_QUARTER = QUARTERS // 2  # this quarter is published again after the next one
HEADER = "Date,Time,CallType,ShieldNumber,Location"

# Share of rows with each fault (each faulty row has exactly one fault, so it is rejected once).
FAULTS = {
    "bad_date_text": 0.0003,      # "unknown"        -> date ... is not a date
    "impossible_date": 0.0002,    # "2/30/2017"      -> date ... is not a date
    "blank_date": 0.0002,         # ""               -> the date is empty
    "bad_time": 0.0003,           # "25:70", "noon"  -> time ... is not a time
    "blank_call_type": 0.0002,    # ""               -> the call type is empty
}
REJECTING = tuple(FAULTS)


def quirk_counter() -> dict[str, int]:
    """Every quirk the generator can write, at zero."""
    names = ["date_m_d_yyyy", "date_mm_dd_yyyy", "date_iso", "date_excel_serial",
             "time_24h", "time_12h_ampm", "time_compact", "time_with_seconds", "time_blank",
             "call_type_canonical", "call_type_upper", "call_type_lower",
             "call_type_inner_spaces", "unknown_call_type", "shield_blank",
             "shield_leading_zero", "location_blank", "location_quoted_comma",
             "cells_with_surrounding_spaces", "short_row_missing_location", "blank_row",
             "repeated_row", *FAULTS]
    return dict.fromkeys(names, 0)


def _pad(rng: random.Random, text: str) -> str:
    return rng.choice((" ", "  ", "")) + text + rng.choice((" ", "   ", "\t"))


def _fault(rng: random.Random) -> str:
    draw = rng.random()
    for name, share in FAULTS.items():
        if draw < share:
            return name
        draw -= share
    return ""


def _date_cell(rng: random.Random, day: date, fault: str) -> tuple[str, str]:
    if fault == "bad_date_text":
        return rng.choice(("unknown", "TBD", "3/x/2019")), fault
    if fault == "impossible_date":
        return f"2/30/{day.year}", fault
    if fault == "blank_date":
        return "", fault
    style = rng.random()
    if style < 0.35:
        return f"{day.month}/{day.day}/{day.year}", "date_m_d_yyyy"
    if style < 0.60:
        return f"{day.month:02d}/{day.day:02d}/{day.year}", "date_mm_dd_yyyy"
    if style < 0.85:
        return day.isoformat(), "date_iso"
    return str((day - EXCEL_EPOCH).days), "date_excel_serial"


def _time_cell(rng: random.Random, fault: str) -> tuple[str, str]:
    if fault == "bad_time":
        return rng.choice(("25:70", "noon", "9:6O", "13:05 PM")), fault
    hour, minute = rng.randrange(24), rng.randrange(60)
    style = rng.random()
    if style < 0.30:
        return f"{hour}:{minute:02d}", "time_24h"
    if style < 0.55:
        return (f"{(hour % 12) or 12}:{minute:02d} {'PM' if hour >= 12 else 'AM'}",
                "time_12h_ampm")
    if style < 0.75:
        return f"{hour}{minute:02d}", "time_compact"  # 905 and 1305
    if style < 0.95:
        return f"{hour:02d}:{minute:02d}:00", "time_with_seconds"
    return "", "time_blank"


def _call_type_cell(rng: random.Random, fault: str) -> tuple[str, str]:
    if fault == "blank_call_type":
        return "", fault
    if rng.random() < 0.0005:
        return rng.choice(UNKNOWN_CALL_TYPES), "unknown_call_type"
    call_type, style = rng.choice(KNOWN_CALL_TYPES), rng.random()
    if style < 0.75:
        return call_type, "call_type_canonical"
    if style < 0.85:
        return call_type.upper(), "call_type_upper"
    if style < 0.95:
        return call_type.lower(), "call_type_lower"
    return call_type.replace(" ", "  "), "call_type_inner_spaces"


def _shield_cell(rng: random.Random) -> tuple[str, str]:
    style = rng.random()
    if style < 0.03:
        return "", "shield_blank"
    if style < 0.05:
        return f"0{rng.randrange(100, 1000)}", "shield_leading_zero"
    return str(rng.randrange(1000, 1400)), ""


def _location_cell(rng: random.Random) -> tuple[str, str]:
    style = rng.random()
    if style < 0.02:
        return "", "location_blank"
    if style < 0.03:
        return (f'"{rng.randrange(100, 9999)} {rng.choice(STREETS)}, NORMAN"',
                "location_quoted_comma")
    return f"{rng.randrange(100, 9999)} {rng.choice(STREETS)}", ""


def _engagement_line(rng: random.Random, day: date) -> tuple[str, list[str]]:
    """One data line and the quirks it has (at most one of them a fault)."""
    fault = _fault(rng)
    cells, kinds = [], []
    for text, kind in (_date_cell(rng, day, fault), _time_cell(rng, fault),
                       _call_type_cell(rng, fault), _shield_cell(rng), _location_cell(rng)):
        cells.append(text)
        if kind:
            kinds.append(kind)
    if rng.random() < 0.05:
        position = rng.randrange(5)
        if cells[position] and not cells[position].startswith('"'):
            cells[position] = _pad(rng, cells[position])
            kinds.append("cells_with_surrounding_spaces")
    if rng.random() < 0.0002:
        kinds = [kind for kind in kinds if not kind.startswith("location_")]
        kinds.append("short_row_missing_location")
        return ",".join(cells[:4]) + "\n", kinds
    return ",".join(cells) + "\n", kinds


def generate(path: Path, rows: int, seed: int = 2017) -> dict[str, int]:
    """Write `rows` data lines after a BOM and the header; return how many lines have each quirk.

    Ten years of quarters, each sorted by date; one quarter is published again after the next
    one (its lines repeated exactly, and counted again), and a few lines are entirely blank.
    """
    rng = random.Random(seed)
    quirks = quirk_counter()
    per_quarter = max(1, -(-rows // QUARTERS))
    written = 0
    republish: list[tuple[str, list[str]]] = []
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        handle.write(HEADER + "\r\n")

        def write(lines: list[tuple[str, list[str]]], repeated: bool = False) -> int:
            for line, kinds in lines:
                handle.write(line)
                for kind in kinds:
                    quirks[kind] += 1
                if repeated:
                    quirks["repeated_row"] += 1
            return len(lines)

        quarter = 0
        while written < rows:
            year, first_month = 2015 + (quarter // 4) % 10, 1 + 3 * (quarter % 4)
            days = sorted(date(year, first_month + rng.randrange(3), 1 + rng.randrange(28))
                          for _ in range(min(per_quarter, rows - written)))
            lines = [(",,,,\n", ["blank_row"]) if rng.random() < 0.0001
                     else _engagement_line(rng, day) for day in days]
            written += write(lines)
            if quarter == REPUBLISHED_QUARTER - 1:
                republish = lines
            if quarter == REPUBLISHED_QUARTER:
                written += write(republish[:rows - written], repeated=True)
            quarter += 1
    return quirks


def expected_figures(rows: int, quirks: dict[str, int]) -> dict[str, int]:
    """What a correct import of the generated file reports.

    Blank lines are skipped (not read); each faulty row is rejected; every other row is new on
    the first import (identical rows in one file are kept, each with its occurrence number) and
    already present on the second.
    """
    read = rows - quirks["blank_row"]
    rejected = sum(quirks[name] for name in REJECTING)
    return {"read": read, "rejected": rejected, "first_inserted": read - rejected,
            "second_inserted": 0, "second_already_present": read - rejected}


# --- Phases, each in its own process -------------------------------------------------------
# pandas and the app are imported inside the phases, in the phase's own process: the parent
# stays small (a child's peak RSS starts from its parent's), and --project is on sys.path first.


def run_phase(name: str, path: Path, database: Path) -> dict:
    """Run one phase in this process and return its figures (peak RSS is this process's)."""
    if name == "baseline":
        figures = _baseline(path, database)
    elif name == "migrate":
        figures = _migrate(database)
    else:
        figures = _import(path, database)
    figures["peak_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return figures


def _baseline(path: Path, database: Path) -> dict:
    import pandas as pd  # noqa: PLC0415 - in the phase's process only

    started, cpu_started = time.perf_counter(), time.process_time()
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    read_seconds = time.perf_counter() - started
    connection = sqlite3.connect(database)
    connection.execute("CREATE TABLE engagement_rows "
                       "(date TEXT, time TEXT, call_type TEXT, shield_number TEXT, location TEXT)")
    connection.executemany("INSERT INTO engagement_rows VALUES (?, ?, ?, ?, ?)",
                           frame.itertuples(index=False, name=None))
    connection.commit()
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
    stored = connection.execute("SELECT count(*) FROM engagement_rows").fetchone()[0]
    connection.close()
    return {"seconds": round(seconds, 3), "cpu_seconds": round(cpu_seconds, 3),
            "read_csv_seconds": round(read_seconds, 3),
            "executemany_seconds": round(seconds - read_seconds, 3),
            "rows": len(frame), "rows_stored": stored,
            "rows_per_second": round(len(frame) / seconds)}


def _migrate(database: Path) -> dict:
    from _app import app_for_url, migrate_schema  # noqa: PLC0415 - in the phase's process only

    from cpp_app.extensions import db  # noqa: PLC0415 - in the phase's process only

    started = time.perf_counter()
    app = app_for_url(f"sqlite:///{database}")
    migrate_schema(app)
    with app.app_context():
        db.engine.dispose()
    return {"seconds": round(time.perf_counter() - started, 3)}


def _import(path: Path, database: Path) -> dict:
    from _app import app_for_url  # noqa: PLC0415 - in the phase's process only

    from cpp_app.audit import services as audit  # noqa: PLC0415 - in the phase's process only
    from cpp_app.database import writing  # noqa: PLC0415 - in the phase's process only
    from cpp_app.engagement import services as engagement  # noqa: PLC0415 - in the phase's process only
    from cpp_app.extensions import db  # noqa: PLC0415 - in the phase's process only

    app = app_for_url(f"sqlite:///{database}")
    with app.app_context(), audit.acting_as("bench"), writing():
        started, cpu_started = time.perf_counter(), time.process_time()
        outcome = engagement.import_engagements(path)
        seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu_started
        summary = outcome.result.summary
        reasons: dict[str, int] = {}
        for reject in outcome.result.rejects:
            reason = re.sub(r"'[^']*'", "'...'", reject.reason)
            reasons[reason] = reasons.get(reason, 0) + 1
        stored = db.session.execute(db.text("SELECT count(*) FROM engagement_records")).scalar()
        db.session.remove()
        db.engine.dispose()
    return {"seconds": round(seconds, 3), "cpu_seconds": round(cpu_seconds, 3),
            "rows_per_second": round(summary["read"] / seconds),
            "read": summary["read"], "inserted": summary["inserted"],
            "already_present": summary["unchanged"], "rejected": summary["rejected"],
            "updated": summary["updated"], "reject_reasons": reasons,
            "unknown_call_types": outcome.unknown_call_types, "records_stored": stored}


def phase(name: str, path: Path, database: Path, project: Path | None = None) -> dict:
    """Run one phase in a fresh interpreter and return its figures."""
    command = [sys.executable, __file__, "--phase", name, "--file", str(path),
               "--db", str(database)]
    if project:
        command += ["--project", str(project)]
    output = subprocess.run(command, check=True, capture_output=True, text=True)
    return json.loads(output.stdout.strip().splitlines()[-1])


def _fresh(database: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)


def main() -> None:
    """Generate the file, run the baseline and two imports, check and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000,
                        help="data lines in the generated file (default 1,000,000)")
    parser.add_argument("--seed", type=int, default=2017, help="generator seed")
    parser.add_argument("--keep", action="store_true",
                        help="keep the generated file and databases under bench/output")
    parser.add_argument("--project", type=Path,
                        help="import cpp_app from this checkout instead (to measure a candidate "
                        "change made in a copy of the project)")
    parser.add_argument("--reuse-file", action="store_true",
                        help="reuse a file kept by an earlier run with the same --rows and --seed")
    parser.add_argument("--phase", choices=["baseline", "migrate", "first", "again"],
                        help=argparse.SUPPRESS)
    parser.add_argument("--file", help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.project:
        sys.path.insert(0, str(args.project.resolve()))
    if args.phase:
        print(json.dumps(run_phase(args.phase, Path(args.file), Path(args.db))))
        return

    OUTPUT.mkdir(parents=True, exist_ok=True)
    path = OUTPUT / f"bench-engagement-{args.rows}-{args.seed}.csv"
    quirks_path = path.with_suffix(".quirks.json")
    baseline_db = OUTPUT / "bench-engagement-baseline.sqlite3"
    import_db = OUTPUT / "bench-engagement-import.sqlite3"
    started = time.perf_counter()
    if args.reuse_file and path.exists() and quirks_path.exists():
        quirks, generate_seconds = json.loads(quirks_path.read_text()), None
    else:
        quirks = generate(path, args.rows, args.seed)
        generate_seconds = round(time.perf_counter() - started, 2)
        quirks_path.write_text(json.dumps(quirks))
    file_mib = round(path.stat().st_size / 2**20, 1)
    expected = expected_figures(args.rows, quirks)
    load_before = os.getloadavg()
    try:
        _fresh(baseline_db)
        _fresh(import_db)
        baseline = phase("baseline", path, baseline_db)
        migration = phase("migrate", path, import_db, args.project)
        first = phase("first", path, import_db, args.project)
        again = phase("again", path, import_db, args.project)
    finally:
        if not args.keep:
            path.unlink(missing_ok=True)
            quirks_path.unlink(missing_ok=True)
            _fresh(baseline_db)
            _fresh(import_db)
    load_after = os.getloadavg()

    ratio = first["seconds"] / baseline["seconds"]
    checks = {
        "first_counts_add_up": first["inserted"] + first["rejected"] + first["already_present"]
        == first["read"],
        "second_counts_add_up": again["inserted"] + again["rejected"] + again["already_present"]
        == again["read"],
        "second_inserted_nothing": again["inserted"] == 0,
        "second_not_slower": again["seconds"] <= first["seconds"],
        "counts_match_generator": (first["read"] == expected["read"]
                                   and first["rejected"] == expected["rejected"]
                                   and first["inserted"] == expected["first_inserted"]
                                   and again["already_present"]
                                   == expected["second_already_present"]),
        "unknown_call_types_match": sum(first["unknown_call_types"].values())
        == quirks["unknown_call_type"],
        "records_stored_match": first["records_stored"] == again["records_stored"]
        == first["inserted"],
        "baseline_read_every_row": baseline["rows"] == baseline["rows_stored"] == args.rows,
    }
    targets = {
        "ratio_at_most_2": ratio <= 2.0,
        "at_least_100k_rows_per_second": first["rows_per_second"] >= 100_000,
        "peak_rss_under_1_gib": max(first["peak_rss_mib"], again["peak_rss_mib"]) < 1024,
        "reimport_inserts_nothing": again["inserted"] == 0,
        "reimport_not_slower": again["seconds"] <= first["seconds"],
    }
    print(json.dumps({
        "rows": args.rows, "seed": args.seed,
        "file": str(path.relative_to(OUTPUT.parent.parent)), "file_mib": file_mib,
        "kept": args.keep, "project": str(args.project or OUTPUT.parent.parent),
        "generate_seconds": generate_seconds, "cpus": os.cpu_count(),
        "load_average_1min": {"before": round(load_before[0], 2),
                              "after": round(load_after[0], 2)},
        "quirks": quirks,
        "expected": expected, "baseline": baseline, "migration": migration,
        "first_import": first, "second_import": again,
        "ratio_to_baseline": round(ratio, 2),
        "second_ratio_to_baseline": round(again["seconds"] / baseline["seconds"], 2),
        "cpu_ratio_to_baseline": round(first["cpu_seconds"] / baseline["cpu_seconds"], 2),
        "checks": checks, "targets_met": targets,
    }))


if __name__ == "__main__":
    main()
