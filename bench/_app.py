"""Shared app set-up for the benchmark scripts: an app over a chosen database, its schema.

`_common` is imported first, so cpp_app comes from this checkout.
"""

from __future__ import annotations

from pathlib import Path

from _common import OUTPUT
from flask import Flask
from flask_migrate import upgrade

from cpp_app.app import create_app
from cpp_app.audit.services import acting_as
from cpp_app.database import writing
from cpp_app.extensions import db
from cpp_app.surveys import services


def bench_app(database: Path) -> Flask:
    """An app in testing mode (no rate limits, fast hashing) over the given SQLite file."""
    return create_app({
        "ENV_NAME": "testing",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}",
        "INSTANCE_PATH": OUTPUT / "instance",
        "WTF_CSRF_ENABLED": False,
    })


def app_for_url(url: str, env_name: str = "testing", **overrides) -> Flask:
    """An app over any database URL (testing: no rate limits, fast hashing, no CSRF)."""
    settings = {"ENV_NAME": env_name, "SQLALCHEMY_DATABASE_URI": url,
                "INSTANCE_PATH": OUTPUT / "instance"}
    if env_name == "testing":
        settings["WTF_CSRF_ENABLED"] = False
    else:
        settings["SECRET_KEY"] = "bench"  # noqa: S105 - a throwaway benchmark key
        settings["CPP_AUDIT_KEY"] = "bench-audit-key-thrown-away-after-the-run"
    settings.update(overrides)
    return create_app(settings)


def migrate_schema(app: Flask) -> None:
    """Build the schema with the app's migrations (upgrade to head)."""
    with app.app_context():
        upgrade()


def create_template_survey(app: Flask, languages: list[str]) -> dict:
    """Create and open the trust and safety template survey; its id, slug and questions."""
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
