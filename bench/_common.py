"""Shared set-up for the benchmark scripts: an app over a chosen database file."""

from __future__ import annotations

import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
OUTPUT = PROJECT_ROOT / "bench" / "output"
sys.path.insert(0, str(PROJECT_ROOT))


def bench_app(database: Path):
    """An app in testing mode (no rate limits, fast hashing) over the given SQLite file."""
    from cpp_app.app import create_app

    return create_app({
        "ENV_NAME": "testing",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
        "INSTANCE_PATH": OUTPUT / "instance",
        "WTF_CSRF_ENABLED": False,
    })


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
    import psycopg

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
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(**POSTGRES_SERVER, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def app_for_url(url: str, env_name: str = "testing", **overrides):
    """An app over any database URL (testing: no rate limits, fast hashing, no CSRF)."""
    from cpp_app.app import create_app

    settings = {"ENV_NAME": env_name, "SQLALCHEMY_DATABASE_URI": url,
                "INSTANCE_PATH": OUTPUT / "instance"}
    if env_name == "testing":
        settings["WTF_CSRF_ENABLED"] = False
    else:
        settings["SECRET_KEY"] = "bench"  # noqa: S105 - a throwaway benchmark key
    settings.update(overrides)
    return create_app(settings)


def migrate_schema(app) -> None:
    """Build the schema with the app's migrations (upgrade to head)."""
    from flask_migrate import upgrade

    with app.app_context():
        upgrade()


def create_template_survey(app, languages: list[str]) -> dict:
    """Create and open the trust and safety template survey; its id, slug and questions."""
    from cpp_app.audit.services import acting_as
    from cpp_app.database import writing
    from cpp_app.extensions import db
    from cpp_app.surveys import services

    settings = services.SurveySettings(
        station_id=None, languages=list(languages), opens_on=None, closes_on=None,
        title={}, introduction={}, thank_you={})
    with app.app_context(), acting_as("bench"), writing():
        survey = services.create_survey(settings, None, from_template=True)
        services.open_survey(survey)
        survey = services.survey_with_questions(survey_id=survey.id)
        described = {
            "id": survey.id, "slug": survey.slug, "languages": list(survey.languages),
            "questions": [{"id": q.id, "code": q.code, "kind": q.kind,
                           "required": q.required,
                           "options": [option.value for option in q.options]}
                          for q in survey.questions],
        }
        db.session.remove()
        db.engine.dispose()
    return described
