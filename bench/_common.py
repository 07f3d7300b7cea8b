"""Shared set-up for the benchmark scripts: an app over a chosen database file."""

from __future__ import annotations

import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
OUTPUT = PROJECT_ROOT / "bench" / "output"
sys.path.insert(0, str(PROJECT_ROOT))


def bench_app(database: Path):
    """An app in testing mode (no rate limits, fast hashing) over the given SQLite file."""
    from cpp_app import create_app

    return create_app({
        "ENV_NAME": "testing",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
        "INSTANCE_PATH": OUTPUT / "instance",
        "WTF_CSRF_ENABLED": False,
    })
