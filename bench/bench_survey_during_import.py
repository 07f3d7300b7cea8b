"""Survey submissions while a long engagement import runs, on one SQLite file.

Builds a fresh database with the migrations and the template survey, writes an engagement
export of `--rows` rows, starts `flask cpp import engagements` on it in a child process, and
meanwhile posts valid survey answers, one client after another (each a fresh device: a GET of
the form for its CSRF token, then the timed POST), until the import ends. Prints the import's
seconds, the submissions by status, their p50 and max seconds, and the responses stored, as
JSON on the last line. `--busy-timeout-ms` sets CPP_SQLITE_BUSY_TIMEOUT_MS for both processes.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
from collections import Counter

from _app import app_for_url, create_template_survey, migrate_schema
from _common import OUTPUT, PROJECT_ROOT, fresh_database
from sqlalchemy import func, select

from cpp_app.extensions import db
from cpp_app.surveys.models import SurveyResponse

CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def write_export(path, rows: int) -> None:
    """An engagement export of distinct rows in the real five columns."""
    with path.open("w") as out:
        out.write("Date,Time,CallType,ShieldNumber,Location\n")
        for n in range(rows):
            out.write(f"2024-{1 + n % 12:02d}-{1 + n % 28:02d},{n % 24:02d}:{n % 60:02d},"
                      f"COP Activity,{1000 + n % 500},{n} Main St\n")


def answers(survey: dict) -> dict:
    """Valid answers to every scale question of the template survey."""
    form = {"lang": "en"}
    for question in survey["questions"]:
        if question["options"]:
            form[f"q{question['id']}"] = question["options"][0]
    return form


def main() -> None:
    """Run the import in a child, post survey answers until it ends, print the figures."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=600_000)
    parser.add_argument("--busy-timeout-ms", type=int, default=10_000)
    options = parser.parse_args()
    url = fresh_database("sqlite", "survey-during-import")
    settings = {"CPP_SQLITE_BUSY_TIMEOUT_MS": options.busy_timeout_ms}
    app = app_for_url(url, **settings)
    migrate_schema(app)
    survey = create_template_survey(app, ["en"])
    export = OUTPUT / "survey-during-import.csv"
    write_export(export, options.rows)
    environment = {**os.environ, "CPP_ENV": "development", "DATABASE_URL": url,
                   "CPP_INSTANCE_PATH": str(OUTPUT / "instance"),
                   "CPP_SQLITE_BUSY_TIMEOUT_MS": str(options.busy_timeout_ms)}
    started = time.monotonic()
    child = subprocess.Popen(  # noqa: S603 - our own command
        [sys.executable, "-m", "flask", "--app", "wsgi", "cpp", "import", "engagements",
         str(export)], cwd=PROJECT_ROOT, env=environment, stdout=subprocess.DEVNULL)
    statuses, seconds = Counter(), []
    form = answers(survey)
    time.sleep(1.0)  # let the import get going
    while child.poll() is None:
        client = app.test_client()
        page = client.get(f"/s/{survey['slug']}").get_data(as_text=True)
        token = CSRF_INPUT.search(page).group(1)
        began = time.monotonic()
        status = client.post(f"/s/{survey['slug']}",
                             data={**form, "csrf_token": token}).status_code
        seconds.append(time.monotonic() - began)
        statuses[status] += 1
    import_seconds = time.monotonic() - started
    with app.app_context():
        stored = db.session.scalar(select(func.count()).select_from(SurveyResponse))
    print(json.dumps({
        "rows": options.rows, "import_s": round(import_seconds, 2),
        "import_exit_code": child.returncode, "busy_timeout_ms": options.busy_timeout_ms,
        "submissions": sum(statuses.values()), "by_status": dict(statuses),
        "responses_stored": stored,
        "p50_s": round(statistics.median(seconds), 3) if seconds else None,
        "max_s": round(max(seconds), 3) if seconds else None,
    }))


if __name__ == "__main__":
    main()
