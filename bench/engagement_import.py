"""Import a 1,000,000-row Community Engagement file (with the real format's quirks) into SQLite
and compare with a baseline measured in the same run: pandas read_csv of the same file plus
one executemany of its rows into a bare table. Each phase runs in its own process so peak
memory is its own. Prints JSON on its last line."""

from __future__ import annotations

import argparse
import json
import random
import resource
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from _common import OUTPUT

CALL_TYPES = ["COP Relationships", "cop relationships ", "COP Problem Solving",
              "COP PROBLEM SOLVING", "COP Activity", " COP Activity"]


def generate(path: Path, rows: int) -> dict:
    """Write the file: mixed date and time formats, blanks, spaces, case, repeats, bad rows."""
    rng = random.Random(11)
    quirks = {"excel_serial": 0, "blank_shield": 0, "repeated": 0, "bad_date": 0,
              "unknown_call_type": 0}
    previous = ""
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        handle.write("Date,Time,CallType,ShieldNumber,Location\n")
        for n in range(rows):
            if previous and rng.random() < 0.01:
                handle.write(previous)
                quirks["repeated"] += 1
                continue
            day, month, year = 1 + n % 28, 1 + (n // 28) % 12, 2015 + n % 8
            style = n % 4
            if rng.random() < 0.0005:
                date_text = "not a date"
                quirks["bad_date"] += 1
            elif style == 0:
                date_text = f"{month}/{day}/{year}"
            elif style == 1:
                date_text = f"{month:02d}/{day:02d}/{year}"
            elif style == 2:
                date_text = f"{year}-{month:02d}-{day:02d}"
            else:
                from datetime import date
                date_text = str((date(year, month, day) - date(1899, 12, 30)).days)
                quirks["excel_serial"] += 1
            hour, minute = n % 24, n % 60
            time_text = [f"{hour}:{minute:02d}", f"{(hour % 12) or 12}:{minute:02d} "
                         f"{'PM' if hour >= 12 else 'AM'}", f"{hour:02d}{minute:02d}",
                         f"{hour:02d}:{minute:02d}:00"][n % 4]
            call_type = rng.choice(CALL_TYPES)
            if rng.random() < 0.001:
                call_type = "COP DDACTS"
                quirks["unknown_call_type"] += 1
            shield = "" if rng.random() < 0.02 else str(1000 + n % 400)
            if not shield:
                quirks["blank_shield"] += 1
            line = (f"{date_text},{time_text},{call_type},{shield},"
                    f" {100 + n % 9000} MAIN ST \n")
            handle.write(line)
            previous = line
    return quirks


def phase(name: str, path: Path, database: Path) -> dict:
    """Run one phase in a fresh interpreter and return its figures."""
    output = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, __file__, "--phase", name, "--file", str(path), "--db", str(database)],
        check=True, capture_output=True, text=True)
    return json.loads(output.stdout.strip().splitlines()[-1])


def run_phase(name: str, path: Path, database: Path) -> None:
    started = time.perf_counter()
    if name == "baseline":
        import pandas as pd

        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        connection = sqlite3.connect(database)
        connection.execute("CREATE TABLE rows (a TEXT, b TEXT, c TEXT, d TEXT, e TEXT)")
        connection.executemany("INSERT INTO rows VALUES (?, ?, ?, ?, ?)",
                               frame.itertuples(index=False, name=None))
        connection.commit()
        figures = {"rows": len(frame)}
    else:
        from _common import bench_app

        from cpp_app.audit.services import acting_as
        from cpp_app.database import expect_writes
        from cpp_app.engagement.services import import_engagements
        from cpp_app.extensions import db

        app = bench_app(database)
        with app.app_context():
            if name == "first":
                db.create_all()
            expect_writes()
            with acting_as("bench"):
                started = time.perf_counter()
                outcome = import_engagements(path)
            figures = outcome.result.summary
    figures["seconds"] = round(time.perf_counter() - started, 2)
    figures["peak_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(json.dumps(figures))


def main() -> None:
    """Generate the file, run the baseline and two imports, print the comparison."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--phase", choices=["baseline", "first", "again"])
    parser.add_argument("--file")
    parser.add_argument("--db")
    args = parser.parse_args()
    if args.phase:
        run_phase(args.phase, Path(args.file), Path(args.db))
        return
    OUTPUT.mkdir(parents=True, exist_ok=True)
    path = OUTPUT / "engagement-1m.csv"
    quirks = generate(path, args.rows)
    baseline_db, import_db = OUTPUT / "baseline.sqlite3", OUTPUT / "engagement.sqlite3"
    for database in (baseline_db, import_db):
        database.unlink(missing_ok=True)
    baseline = phase("baseline", path, baseline_db)
    first = phase("first", path, import_db)
    again = phase("again", path, import_db)
    print(json.dumps({
        "rows": args.rows, "quirks": quirks, "baseline": baseline, "first_import": first,
        "second_import": again,
        "rows_per_second": round(args.rows / first["seconds"]),
        "ratio_to_baseline": round(first["seconds"] / baseline["seconds"], 2),
        "second_inserted_nothing": again["inserted"] == 0,
        "second_not_slower": again["seconds"] <= first["seconds"],
    }))


if __name__ == "__main__":
    main()
