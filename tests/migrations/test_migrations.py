"""Migrations build the schema the models describe: upgrade, downgrade to base, upgrade again."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator

import psycopg
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect
from sqlalchemy.engine import make_url

from config import normalise_database_url
from cpp_app.extensions import db
from tests.helpers import make_test_app


@pytest.fixture
def fresh_database_url(tmp_path) -> Iterator[str]:
    """An empty database of its own: a SQLite file, or <testdb>_migrations on PostgreSQL."""
    test_url = os.environ.get("TEST_DATABASE_URL")
    if not test_url:
        yield f"sqlite:///{tmp_path / 'migrations.sqlite3'}"
        return
    url = make_url(normalise_database_url(test_url))
    name = f"{url.database}_migrations"
    server = {"host": url.host or "localhost", "port": url.port or 5432,
              "user": url.username, "password": url.password, "dbname": "postgres"}
    with psycopg.connect(**server, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with psycopg.connect(**server, autocommit=True) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def logging_restored() -> Iterator[None]:
    """Undo the logging set-up Alembic's env.py applies, so later tests see the usual loggers."""
    names = ["", "sqlalchemy.engine", "alembic", "flask_migrate"]
    saved = {name: (logging.getLogger(name).level, list(logging.getLogger(name).handlers))
             for name in names}
    yield
    for name, (level, handlers) in saved.items():
        logger = logging.getLogger(name)
        logger.setLevel(level)
        logger.handlers[:] = handlers


def schema_differences() -> list:
    """What autogenerate would change to make the database match the models."""
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, db.metadata)


@pytest.mark.usefixtures("logging_restored")
def test_upgrade_downgrade_upgrade_leaves_models_and_migrations_in_agreement(
        tmp_path, fresh_database_url):
    migration_app = make_test_app(tmp_path, SQLALCHEMY_DATABASE_URI=fresh_database_url)
    model_tables = set(db.metadata.tables)
    try:
        with migration_app.app_context():
            upgrade()
            assert set(inspect(db.engine).get_table_names()) == model_tables | {
                "alembic_version"}
            assert schema_differences() == []

            downgrade(revision="base")
            assert set(inspect(db.engine).get_table_names()) <= {"alembic_version"}
            missing = {diff[1].name for diff in schema_differences() if diff[0] == "add_table"}
            assert missing == model_tables  # the comparison does see a schema that differs

            upgrade()
            assert schema_differences() == []
    finally:
        with migration_app.app_context():
            db.session.remove()
            db.engine.dispose()
