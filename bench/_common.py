"""Shared set-up for the benchmark scripts: where they write, and their databases.

Importing this module puts the project folder first on sys.path, so the scripts import this
checkout's cpp_app. It loads no part of the app itself, and psycopg only when a PostgreSQL
database is made or dropped: scripts that start each phase in a child process import it in the
parent, whose memory every child's peak RSS starts from.
"""

from __future__ import annotations

import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
OUTPUT = PROJECT_ROOT / "bench" / "output"
sys.path.insert(0, str(PROJECT_ROOT))

POSTGRES_SERVER = {"host": "127.0.0.1", "port": 5432, "user": "postgres", "dbname": "postgres"}
BACKENDS = ("sqlite", "postgresql")


def fresh_database(backend: str, name: str) -> str:
    """An empty database of its own: a SQLite file under bench/output, or a PostgreSQL one."""
    if backend == "sqlite":
        OUTPUT.mkdir(parents=True, exist_ok=True)
        path = OUTPUT / f"{name}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return f"sqlite:///{path}"
    import psycopg  # noqa: PLC0415 - kept out of parents of measured processes

    with psycopg.connect(**POSTGRES_SERVER, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    server = POSTGRES_SERVER
    return f"postgresql+psycopg://{server['user']}@{server['host']}:{server['port']}/{name}"


def drop_database(url: str) -> None:
    """Remove a database made by `fresh_database`."""
    if url.startswith("sqlite:///"):
        path = url[len("sqlite:///"):]
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    import psycopg  # noqa: PLC0415 - kept out of parents of measured processes

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(**POSTGRES_SERVER, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
