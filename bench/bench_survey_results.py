"""Time the staff survey results page over a template survey with 100,000 responses.

A fresh database (SQLite file by default; PostgreSQL with --backend) gets the schema from the
app's migrations, the trust and safety template survey (English and Spanish), and N responses
with realistic random answers inserted with SQLAlchemy Core executemany. An admin logs in
through the test client; GET /surveys/<id>/results runs once to warm up, then R timed times.
compute_results alone, and the one query it runs (answers_frame), are timed the same way.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from datetime import UTC, date, datetime, timedelta

from _app import app_for_url, create_template_survey, migrate_schema
from _common import BACKENDS, OUTPUT, drop_database, fresh_database
from sqlalchemy import event, insert

from cpp_app.auth.models import User
from cpp_app.extensions import db
from cpp_app.surveys import services
from cpp_app.surveys.models import SurveyAnswer, SurveyResponse
from cpp_app.surveys.results import answers_frame, compute_results

DATABASE_NAME = "cpp_bench_survey_results"
ADMIN_EMAIL = "bench-admin@example.org"
PASSWORD = "bench-password-123"  # noqa: S105 - a throwaway benchmark account
CHUNK = 20_000
#: Short open-text issues, with the case and punctuation variants residents really type.
ISSUES = [
    "Speeding on Main Street", "speeding on main street!", "Speeding on Main Street.",
    "Car break-ins", "car break ins", "Drug dealing near the park", "Noise at night",
    "Homeless encampment by the creek", "More patrols after dark", "Robos de autos",
    "Venta de drogas en el parque", "Exceso de velocidad", "Package theft",
    "Street racing on weekends", "Graffiti", "Loitering outside the corner store",
]
BLANK_SHARE = {"agree5": 0.15, "scale10": 0.2, "text": 0.6}


def answer_rows(questions: list[dict], response_id: int, sentiment: float,
                rng: random.Random) -> list[dict]:
    """One respondent's answers: scales follow their overall sentiment, optional ones blank."""
    rows = []
    for question in questions:
        kind = question["kind"]
        if not question["required"] and rng.random() < BLANK_SHARE.get(kind, 0.2):
            continue
        row = {"response_id": response_id, "question_id": question["id"], "number": None,
               "option_value": None, "rank": None, "text": None}
        if kind == "agree5":
            row["number"] = float(min(5, max(1, round(3 + 1.2 * sentiment + rng.gauss(0, 0.8)))))
        elif kind == "scale10":
            row["number"] = float(min(10, max(0, round(5 + 2.5 * sentiment
                                                       + rng.gauss(0, 1.5)))))
        elif kind == "text":
            row["text"] = rng.choice(ISSUES)
        elif kind in {"single", "neighbourhood"}:
            row["option_value"] = rng.choice(question["options"])
        else:  # multiple and ranking are not in the template; answer their first option
            row["option_value"], row["rank"] = question["options"][0], 1
        rows.append(row)
    return rows


def insert_responses(app, survey: dict, count: int, seed: int,
                     last_day: date = date(2026, 11, 22), days: int = 60) -> dict:
    """Insert `count` responses and their answers with Core executemany; rows and seconds.

    The responses are submitted over the `days` days up to `last_day`.
    """
    rng = random.Random(seed)
    responses_table, answers_table = SurveyResponse.__table__, SurveyAnswer.__table__
    started = time.perf_counter()
    answers_inserted = 0
    with app.app_context():
        connection = db.session.connection()
        for first in range(0, count, CHUNK):
            size = min(CHUNK, count - first)
            responses = []
            for _ in range(size):
                day = last_day - timedelta(days=rng.randrange(days))
                responses.append({
                    "survey_id": survey["id"], "submitted_on": day,
                    "submitted_at": datetime(day.year, day.month, day.day, tzinfo=UTC)
                    + timedelta(seconds=rng.randrange(86_400)),
                    "language": "es" if rng.random() < 0.3 else "en"})
            ids = connection.execute(
                insert(responses_table).returning(responses_table.c.id,
                                                  sort_by_parameter_order=True),
                responses).scalars().all()
            answers = []
            for response_id in ids:
                answers.extend(answer_rows(survey["questions"], response_id,
                                           rng.gauss(0.2, 1.0), rng))
            connection.execute(insert(answers_table), answers)
            answers_inserted += len(answers)
        db.session.commit()
        db.session.remove()
    return {"responses": count, "answers": answers_inserted,
            "insert_seconds": round(time.perf_counter() - started, 2)}


def create_admin(app) -> None:
    """An active admin account to log in with."""
    with app.app_context():
        admin = User(email=ADMIN_EMAIL, name="Bench admin", role="admin")
        admin.set_password(PASSWORD)
        db.session.add(admin)
        db.session.commit()
        db.session.remove()


def timed(action, runs: int) -> list[float]:
    """Seconds of each of `runs` calls of `action`, after one untimed warm-up call."""
    action()
    durations = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        durations.append(time.perf_counter() - started)
    return durations


def summary(prefix: str, durations: list[float]) -> dict:
    """Median and max in milliseconds."""
    return {f"{prefix}_median_ms": round(statistics.median(durations) * 1000, 1),
            f"{prefix}_max_ms": round(max(durations) * 1000, 1)}


def time_results_page(app, survey_id: int, runs: int) -> dict:
    """Log in, then time GET /surveys/<id>/results; also its size and query count."""
    client = app.test_client()
    login = client.post("/login", data={"email": ADMIN_EMAIL, "password": PASSWORD})
    if login.status_code != 302:
        raise SystemExit(f"login answered {login.status_code}")
    url = f"/surveys/{survey_id}/results"
    last = {}

    def get_page() -> None:
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
        last["bytes"] = len(response.data)

    durations = timed(get_page, runs)
    statements = []
    with app.app_context():
        engine = db.engine

    def listener(*_event) -> None:
        statements.append(1)

    event.listen(engine, "before_cursor_execute", listener)
    get_page()
    event.remove(engine, "before_cursor_execute", listener)
    return {**summary("results_page", durations), "results_page_kib": round(last["bytes"] / 1024),
            "results_page_queries": len(statements)}


def time_compute_results(app, survey_id: int, runs: int) -> dict:
    """Time compute_results alone, and answers_frame (its one query into pandas) alone."""
    with app.app_context():
        survey = services.survey_with_questions(survey_id=survey_id)
        computed = compute_results(survey, min_count=1, include_texts=True)
        figures = {
            **summary("compute_results", timed(
                lambda: compute_results(survey, min_count=1, include_texts=True), runs)),
            **summary("answers_frame", timed(lambda: answers_frame(survey_id), runs)),
            "computed_responses": computed.responses,
            "trust_index": computed.indices[0].value,
            "safety_index": computed.indices[1].value,
            "top_issue": computed.top_issues[0] if computed.top_issues else None,
        }
        db.session.remove()
    return figures


def run_backend(backend: str, args) -> dict:
    """Fresh database, survey, responses, admin, timings; the figures for one backend."""
    name = DATABASE_NAME if backend == "postgresql" else "survey_results"
    url = fresh_database(backend, name)
    try:
        app = app_for_url(url, "testing")
        migrate_schema(app)
        survey = create_template_survey(app, ["en", "es"])
        inserted = insert_responses(app, survey, args.responses, args.seed)
        create_admin(app)
        figures = {"backend": backend, **inserted, "runs": args.runs,
                   **time_results_page(app, survey["id"], args.runs),
                   **time_compute_results(app, survey["id"], args.runs)}
        with app.app_context():
            db.engine.dispose()
        return figures
    finally:
        if not args.keep:
            drop_database(url)


def main() -> None:
    """Parse arguments, run each backend, print the figures as JSON on the last line."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=[*BACKENDS, "both"], default="sqlite",
                        help="which database to run against (default: sqlite)")
    parser.add_argument("--responses", type=int, default=100_000,
                        help="responses to insert (default 100000)")
    parser.add_argument("--runs", type=int, default=7,
                        help="timed GETs of the results page after one warm-up (default 7)")
    parser.add_argument("--seed", type=int, default=1, help="random seed for the answers")
    parser.add_argument("--keep", action="store_true",
                        help="keep the databases afterwards (default: drop them)")
    args = parser.parse_args()
    if args.responses < 1 or args.runs < 1:
        parser.error("--responses and --runs must be at least 1")
    backends = BACKENDS if args.backend == "both" else (args.backend,)
    OUTPUT.mkdir(parents=True, exist_ok=True)
    figures = {backend: run_backend(backend, args) for backend in backends}
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
