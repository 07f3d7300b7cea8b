"""Rate limits stay whole: several workers never count them apart in per-process memory."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from config import check_rate_limit_storage
from cpp_app.app import create_app
from tests.helpers import PROJECT_ROOT
from tests.security.test_config_security import production_settings

GUNICORN = Path(sys.executable).parent / "gunicorn"


def test_memory_counters_with_several_workers_are_refused_in_production_only():
    with pytest.raises(RuntimeError, match="2 workers with RATELIMIT_STORAGE_URI=memory://"):
        check_rate_limit_storage(2, "memory://", "production")
    assert "allowing 3 times every limit" in check_rate_limit_storage(3, "memory://",
                                                                      "development")
    assert check_rate_limit_storage(1, "memory://", "production") is None
    assert check_rate_limit_storage(4, "redis://127.0.0.1:6379/0", "production") is None


def test_gunicorn_refuses_to_start_two_workers_counting_in_memory(tmp_path):
    environment = {**os.environ, "CPP_ENV": "production", "RATELIMIT_STORAGE_URI": "memory://",
                   "SECRET_KEY": "s" * 64, "CPP_AUDIT_KEY": "a" * 64,
                   "CPP_PUBLIC_BASE_URL": "https://cpp.example.gov",
                   "DATABASE_URL": f"sqlite:///{tmp_path / 'never.sqlite3'}"}
    result = subprocess.run(
        [str(GUNICORN), "--workers", "2", "--bind", "127.0.0.1:5102", "wsgi:app"],
        cwd=PROJECT_ROOT, env=environment, capture_output=True, text=True, timeout=120,
        check=False)
    assert result.returncode != 0
    assert "CPP Manager refuses to start: 2 workers with RATELIMIT_STORAGE_URI=memory://" \
        in result.stderr


def test_the_app_refuses_web_concurrency_above_one_with_memory_counters(tmp_path, monkeypatch):
    monkeypatch.setenv("WEB_CONCURRENCY", "4")
    with pytest.raises(RuntimeError, match="4 workers"):
        create_app(production_settings(tmp_path, RATELIMIT_STORAGE_URI="memory://"))


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
@pytest.mark.parametrize(("storage", "workers"), [
    (None, "1"), ("memory://", "1"), ("redis://127.0.0.1:6379/0", "2")])
def test_make_run_starts_one_worker_unless_counters_are_shared(storage, workers):
    environment = {key: value for key, value in os.environ.items()
                   if key not in {"RATELIMIT_STORAGE_URI", "WORKERS"}}
    if storage:
        environment["RATELIMIT_STORAGE_URI"] = storage
    plan = subprocess.run(["make", "-n", "run"], cwd=PROJECT_ROOT, env=environment,
                          capture_output=True, text=True, timeout=60, check=True).stdout
    assert f"--workers {workers} " in plan
