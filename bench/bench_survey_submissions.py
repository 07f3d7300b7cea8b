"""Concurrent public survey submissions over HTTP to gunicorn (4 workers) on loopback.

For each backend (SQLite file, PostgreSQL database): a fresh database built by the app's
migrations, the trust and safety template survey opened in English and Spanish, gunicorn on a
free 127.0.0.1 port, then N submissions by C client threads. Each submission GETs the form
(session cookie + CSRF token) and POSTs random valid answers; it is accepted when the POST
answers 302 to the thanks page. Reports POST latency (p50/p99), accepted submissions per second
over the load phase, failures by status, and the responses stored (which must equal the
accepted ones).
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import json
import math
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlencode

from _app import app_for_url, create_template_survey, migrate_schema
from _common import BACKENDS, OUTPUT, PROJECT_ROOT, drop_database, fresh_database
from sqlalchemy import func, select

from cpp_app.extensions import db
from cpp_app.surveys.models import SurveyAnswer, SurveyResponse

DATABASE_NAME = "cpp_bench_surveys"
BENCH_SECRET_KEY = "bench"  # noqa: S105 - a throwaway key for a loopback benchmark
BENCH_AUDIT_KEY = "bench-audit-key-thrown-away-after-the-run"
CSRF_INPUT = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
ISSUES = [
    "Speeding on Main Street", "speeding on main street!", "Car break-ins",
    "Drug dealing near the park", "Noise at night", "Homeless encampment by the creek",
    "More patrols after dark", "Robos de autos", "Venta de drogas en el parque",
    "Exceso de velocidad", "Package theft", "Street racing on weekends",
]


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def gunicorn_path() -> str:
    """The gunicorn next to the running interpreter, else the project's virtualenv one."""
    beside = Path(sys.executable).parent / "gunicorn"
    return str(beside if beside.exists() else PROJECT_ROOT / ".venv" / "bin" / "gunicorn")


def start_gunicorn(url: str, port: int, workers: int, cpp_env: str, log_path: Path):
    """Start gunicorn on 127.0.0.1:<port> over `url`; the process and its open log file."""
    env = dict(os.environ, CPP_ENV=cpp_env, SECRET_KEY=BENCH_SECRET_KEY,
               CPP_AUDIT_KEY=BENCH_AUDIT_KEY, DATABASE_URL=url,
               RATELIMIT_ENABLED="false", CPP_INSTANCE_PATH=str(OUTPUT / "instance"))
    log = log_path.open("w")
    process = subprocess.Popen(
        [gunicorn_path(), "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
         "--graceful-timeout", "10", "wsgi:app"],
        cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    return process, log


def wait_until_up(process, port: int, timeout: float = 60.0) -> float:
    """Poll /healthz until it answers 200; seconds waited."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode} while starting")
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                connection.close()
                return time.monotonic() - started
            connection.close()
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer on port {port} within {timeout:.0f} s")


def warm_up(port: int, slug: str, requests: int) -> None:
    """Untimed GETs of the form so every worker has imported and compiled its templates."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    for _ in range(requests):
        exchange(connection, "GET", f"/s/{slug}")
    connection.close()


def stop_gunicorn(process, log) -> None:
    """Ask gunicorn to stop (SIGTERM: graceful), then kill it if it does not."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
    log.close()


def random_answers(questions: list[dict], rng: random.Random) -> list[tuple[str, str]]:
    """Valid form fields for every question kind; optional questions are sometimes blank."""
    fields = []
    for question in questions:
        name, kind, options = f"q{question['id']}", question["kind"], question["options"]
        if not question["required"] and rng.random() < 0.2:
            if kind != "ranking":
                fields.append((name, ""))
            continue
        if kind == "agree5":
            fields.append((name, str(rng.randint(1, 5))))
        elif kind == "scale10":
            fields.append((name, str(rng.randint(0, 10))))
        elif kind in {"single", "neighbourhood"}:
            fields.append((name, rng.choice(options)))
        elif kind == "multiple":
            fields.extend((name, value) for value in rng.sample(options, rng.randint(1,
                                                                                len(options))))
        elif kind == "ranking":
            chosen = rng.sample(options, rng.randint(1, len(options)))
            fields.extend((f"{name}_{value}", str(rank)) for rank, value in enumerate(chosen, 1))
        elif kind == "text":
            fields.append((name, rng.choice(ISSUES)))
    return fields


def exchange(connection, method: str, path: str, body: str | None = None,
             headers: dict | None = None):
    """One request on a kept connection (http.client reopens it after Connection: close)."""
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    content = response.read()
    return response.status, response.headers, content


class LoadState:
    """Counters shared by the client threads."""

    def __init__(self, total: int, deadline: float):
        self.tickets = itertools.count()
        self.total, self.deadline = total, deadline
        self.lock = threading.Lock()
        self.post_latencies: list[float] = []
        self.get_latencies: list[float] = []
        self.failures: Counter = Counter()
        self.accepted = 0
        self.attempted = 0
        self.stopped_early = False

    def next_ticket(self) -> int | None:
        """The next submission to make, or None when done or out of time."""
        with self.lock:
            number = next(self.tickets)
            if number >= self.total:
                return None
            if time.monotonic() > self.deadline:
                self.stopped_early = True
                return None
            return number


def submitter(state: LoadState, port: int, survey: dict, seed: int) -> None:
    """One client thread: GET the form, POST answers, until the tickets run out."""
    rng = random.Random(seed)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    slug = survey["slug"]
    posts, gets, failures, accepted, attempted = [], [], Counter(), 0, 0
    while state.next_ticket() is not None:
        attempted += 1
        language = "es" if rng.random() < 0.3 else "en"
        path = f"/s/{slug}?lang={language}"
        try:
            started = time.perf_counter()
            status, headers, content = exchange(connection, "GET", path)
            gets.append(time.perf_counter() - started)
            token = CSRF_INPUT.search(content.decode("utf-8", "replace"))
            cookies = [c.split(";", 1)[0] for c in headers.get_all("Set-Cookie") or []]
            if status != 200 or not token or not cookies:
                failures[f"get_{status}"] += 1
                continue
            body = urlencode([("csrf_token", token.group(1)), ("lang", language),
                              ("website", ""), *random_answers(survey["questions"], rng)])
            started = time.perf_counter()
            status, headers, _ = exchange(connection, "POST", path, body, {
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": "; ".join(cookies)})
            posts.append(time.perf_counter() - started)
        except (OSError, http.client.HTTPException) as error:
            connection.close()
            failures[f"error_{type(error).__name__}"] += 1
            continue
        if status == 302 and f"/s/{slug}/thanks" in (headers.get("Location") or ""):
            accepted += 1
        else:
            failures[f"post_{status}"] += 1
    connection.close()
    with state.lock:
        state.post_latencies.extend(posts)
        state.get_latencies.extend(gets)
        state.failures.update(failures)
        state.accepted += accepted
        state.attempted += attempted


def percentile(values: list[float], share: float) -> float | None:
    """Nearest-rank percentile in milliseconds."""
    if not values:
        return None
    ordered = sorted(values)
    return round(ordered[max(math.ceil(share * len(ordered)) - 1, 0)] * 1000, 1)


def stored_responses(url: str, survey_id: int) -> tuple[int, int]:
    """(responses, answers) stored for the survey."""
    app = app_for_url(url, "production")
    with app.app_context():
        responses = db.session.scalar(select(func.count()).select_from(SurveyResponse)
                                      .where(SurveyResponse.survey_id == survey_id))
        answers = db.session.scalar(
            select(func.count()).select_from(SurveyAnswer)
            .join(SurveyResponse, SurveyResponse.id == SurveyAnswer.response_id)
            .where(SurveyResponse.survey_id == survey_id))
        db.session.remove()
        db.engine.dispose()
    return responses, answers


def run_backend(backend: str, args) -> dict:
    """Fresh database, schema, survey, gunicorn, load, count; the figures for one backend."""
    name = DATABASE_NAME if backend == "postgresql" else "survey_submissions"
    url = fresh_database(backend, name)
    try:
        app = app_for_url(url, "production")
        migrate_schema(app)
        survey = create_template_survey(app, ["en", "es"])
        with app.app_context():
            db.engine.dispose()
        port = free_port()
        log_path = OUTPUT / f"gunicorn-submissions-{backend}.log"
        process, log = start_gunicorn(url, port, args.workers, args.cpp_env, log_path)
        try:
            startup = wait_until_up(process, port)
            warm_up(port, survey["slug"], args.workers * 5)
            state = LoadState(args.submissions, time.monotonic() + args.max_seconds)
            started = time.perf_counter()
            with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
                futures = [pool.submit(submitter, state, port, survey, args.seed + n)
                           for n in range(args.concurrency)]
                for future in futures:
                    future.result()
            elapsed = time.perf_counter() - started
        finally:
            stop_gunicorn(process, log)
        responses, answers = stored_responses(url, survey["id"])
        log_text = log_path.read_text(errors="replace")
        return {
            "backend": backend,
            "submissions_requested": args.submissions,
            "submissions_attempted": state.attempted,
            "stopped_early_at_time_limit": state.stopped_early,
            "concurrency": args.concurrency,
            "gunicorn_workers": args.workers,
            "cpp_env": args.cpp_env,
            "gunicorn_startup_s": round(startup, 2),
            "load_phase_s": round(elapsed, 2),
            "accepted": state.accepted,
            "accepted_per_second": round(state.accepted / elapsed, 1) if elapsed else None,
            "post_p50_ms": percentile(state.post_latencies, 0.50),
            "post_p99_ms": percentile(state.post_latencies, 0.99),
            "post_max_ms": percentile(state.post_latencies, 1.0),
            "get_p50_ms": percentile(state.get_latencies, 0.50),
            "get_p99_ms": percentile(state.get_latencies, 0.99),
            "failures": dict(sorted(state.failures.items())),
            "stored_responses": responses,
            "stored_answers": answers,
            "stored_equals_accepted": responses == state.accepted,
            "log_database_is_locked": log_text.count("database is locked"),
            "log_tracebacks": log_text.count("Traceback (most recent call last)"),
            "log_worker_timeouts": log_text.count("WORKER TIMEOUT"),
        }
    finally:
        if not args.keep:
            drop_database(url)


def main() -> None:
    """Parse arguments, run each backend, print the figures as JSON on the last line."""
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--backend", choices=[*BACKENDS, "both"], default="both",
                        help="which database to run against (default: both)")
    parser.add_argument("--submissions", type=int, default=10_000,
                        help="submissions to make per backend (default 10000)")
    parser.add_argument("--concurrency", type=int, default=32,
                        help="client threads, one connection each (default 32)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4)")
    parser.add_argument("--max-seconds", type=float, default=480,
                        help="stop starting new submissions after this long (default 480)")
    parser.add_argument("--cpp-env", choices=["development", "production"],
                        default="development",
                        help="CPP_ENV for gunicorn (default development: config.py has no "
                             "switch for production's Secure session cookie, see README)")
    parser.add_argument("--seed", type=int, default=1, help="random seed for the answers")
    parser.add_argument("--keep", action="store_true",
                        help="keep the databases afterwards (default: drop them)")
    args = parser.parse_args()
    if args.submissions < 1 or args.concurrency < 1 or args.workers < 1:
        parser.error("--submissions, --concurrency and --workers must be at least 1")
    backends = BACKENDS if args.backend == "both" else (args.backend,)
    OUTPUT.mkdir(parents=True, exist_ok=True)
    figures = {backend: run_backend(backend, args) for backend in backends}
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
