"""Migrations build the schema the models describe: upgrade, downgrade to base, upgrade again."""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Iterator
from datetime import UTC, datetime

import psycopg
import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect
from sqlalchemy.engine import make_url

from config import normalise_database_url
from cpp_app.audit.models import AuditEvent
from cpp_app.audit.services import GENESIS_HASH, acting_as, record, verify_chain
from cpp_app.extensions import db
from cpp_app.models import UTCDateTime
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


#: The audit log as it stood before the chain was keyed (revision 69bebaf2b905).
UNKEYED_REVISION = "69bebaf2b905"


def unkeyed_event_row(sequence: int, previous_hash: str) -> dict:
    """An audit event as the unkeyed chain stored it, with its plain SHA-256 hash."""
    occurred_at = datetime(2026, 1, 5, 10, 0, sequence, tzinfo=UTC)
    row = {"sequence": sequence, "occurred_at": occurred_at, "actor_user_id": None,
           "actor_label": "cli:seed", "action": "station.create", "entity_type": "stations",
           "entity_id": str(sequence), "station_id": sequence, "summary": f"Station {sequence}",
           "before": None, "after": {"code": f"S{sequence}"}, "previous_hash": previous_hash}
    payload = {**row, "occurred_at": occurred_at.strftime("%Y-%m-%dT%H:%M:%S.%f")}
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return {**row, "event_hash": hashlib.sha256(canonical.encode("utf-8")).hexdigest()}


@pytest.mark.usefixtures("logging_restored")
def test_events_recorded_before_the_chain_was_keyed_still_verify(tmp_path, fresh_database_url):
    migration_app = make_test_app(tmp_path, SQLALCHEMY_DATABASE_URI=fresh_database_url)
    unkeyed = sa.Table(
        "audit_events", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True),
        *(sa.Column(name, sa.String) for name in (
            "actor_label", "action", "entity_type", "entity_id", "summary", "previous_hash",
            "event_hash")),
        sa.Column("sequence", sa.Integer), sa.Column("occurred_at", UTCDateTime()),
        sa.Column("actor_user_id", sa.Integer), sa.Column("station_id", sa.Integer),
        sa.Column("before", sa.JSON), sa.Column("after", sa.JSON))
    try:
        with migration_app.app_context():
            upgrade(revision=UNKEYED_REVISION)
            first = unkeyed_event_row(1, GENESIS_HASH)
            with db.engine.begin() as connection:
                connection.execute(sa.insert(unkeyed), [
                    first, unkeyed_event_row(2, first["event_hash"])])
            upgrade()
            assert verify_chain().intact
            with acting_as("test"):
                record("system.check", entity_type="system", summary="after the upgrade")
            db.session.commit()
            report = verify_chain()
            assert (report.intact, report.checked, report.unkeyed) == (True, 3, 2)
            assert list(db.session.scalars(sa.select(AuditEvent.keyed).order_by(
                AuditEvent.sequence))) == [False, False, True]
    finally:
        with migration_app.app_context():
            db.session.remove()
            db.engine.dispose()


BEFORE_REPEAT_SETTING = "3361baf7becd"


@pytest.mark.usefixtures("logging_restored")
def test_the_repeat_responses_setting_keeps_every_question_and_response(tmp_path,
                                                                       fresh_database_url):
    migration_app = make_test_app(tmp_path, SQLALCHEMY_DATABASE_URI=fresh_database_url)
    counts = ("SELECT (SELECT count(*) FROM survey_questions), "
              "(SELECT count(*) FROM survey_responses)")
    try:
        with migration_app.app_context():
            upgrade(revision=BEFORE_REPEAT_SETTING)
            with db.engine.begin() as connection:
                now = datetime.now(UTC)
                connection.execute(sa.text(
                    "INSERT INTO surveys (id, slug, status, languages, title, introduction, "
                    "thank_you, created_at, updated_at) VALUES (1, 'abc', 'open', '[\"en\"]', "
                    "'{}', '{}', '{}', :now, :now)"), {"now": now})
                connection.execute(sa.text(
                    "INSERT INTO survey_questions (id, survey_id, position, code, kind, "
                    "required, index_role, prompt, help_text) VALUES (1, 1, 0, 'q', "
                    "'free_text', false, '', '{}', '{}')"))
                connection.execute(sa.text(
                    "INSERT INTO survey_responses (survey_id, submitted_on, submitted_at, "
                    "language) VALUES (1, :today, :now, 'en')"),
                    {"today": now.date(), "now": now})
            upgrade()
            with db.engine.connect() as connection:
                assert tuple(connection.execute(sa.text(counts)).one()) == (1, 1)
                assert connection.execute(sa.text(
                    "SELECT allow_repeat_responses FROM surveys")).scalar() in (False, 0)
            downgrade(revision=BEFORE_REPEAT_SETTING)
            with db.engine.connect() as connection:
                assert tuple(connection.execute(sa.text(counts)).one()) == (1, 1)
    finally:
        with migration_app.app_context():
            db.engine.dispose()
