"""The application factory.

It loads config, extensions, imports, blueprints, error pages, headers, template helpers and
commands, in that order.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask, jsonify, render_template, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from config import BaseConfig, config_for
from cpp_app import database, inputs
from cpp_app.api.token_views import admin_blueprint as admin_tokens_blueprint
from cpp_app.api.token_views import blueprint as api_tokens_blueprint
from cpp_app.api.views import blueprint as api_blueprint
from cpp_app.audit.views import blueprint as audit_blueprint
from cpp_app.auth.account_views import blueprint as account_blueprint
from cpp_app.auth.loader import configure_login
from cpp_app.auth.login_views import blueprint as auth_blueprint
from cpp_app.cli import cpp_group
from cpp_app.engagement.importing import ENGAGEMENT_IMPORT
from cpp_app.engagement.views import blueprint as engagement_blueprint
from cpp_app.errors import json_http_error
from cpp_app.extensions import babel, bootstrap, csrf, db, limiter, migrate
from cpp_app.i18n import TRANSLATIONS, compile_catalogs
from cpp_app.importing.kinds import register_import_kind
from cpp_app.importing.views import blueprint as importing_blueprint
from cpp_app.mail import register_outbox
from cpp_app.main.views import blueprint as main_blueprint
from cpp_app.meetings.views import blueprint as meetings_blueprint
from cpp_app.outreach.importing import STAKEHOLDER_IMPORT
from cpp_app.outreach.views import blueprint as outreach_blueprint
from cpp_app.plans.views import blueprint as plans_blueprint
from cpp_app.public.errors import public_error_page
from cpp_app.public.views import blueprint as public_blueprint
from cpp_app.reminders.services import queue_email
from cpp_app.reminders.views import blueprint as notifications_blueprint
from cpp_app.reports.views import blueprint as reports_blueprint
from cpp_app.security import apply_security_headers, log_refusal
from cpp_app.stations.member_import import MEMBER_IMPORT
from cpp_app.stations.views import blueprint as stations_blueprint
from cpp_app.surveys.languages import select_locale
from cpp_app.surveys.public_views import blueprint as survey_public_blueprint
from cpp_app.surveys.views import blueprint as surveys_blueprint
from cpp_app.templating import register as register_template_globals
from cpp_app.training.importing import TRAINING_IMPORT
from cpp_app.training.views import blueprint as training_blueprint
from cpp_app.updates.addition_views import blueprint as update_additions_blueprint
from cpp_app.updates.translation_views import blueprint as translations_blueprint
from cpp_app.updates.views import blueprint as updates_blueprint


def create_app(config: str | type[BaseConfig] | dict[str, Any] | None = None) -> Flask:
    """Build the application: config, extensions, blueprints, commands, error pages, headers."""
    app = Flask(
        "cpp_app",
        template_folder="../templates",
        static_folder="static",
    )
    load_config(app, config)
    register_extensions(app)
    register_imports(app)
    register_input_checks(app)
    register_blueprints(app)
    register_errorhandlers(app)
    register_security_headers(app)
    register_template_helpers(app)
    register_commands(app)
    return app


def load_config(app: Flask, config: str | type[BaseConfig] | dict[str, Any] | None) -> None:
    """Apply a config class (by name or object), then any overrides, then start-up checks."""
    overrides: dict[str, Any] = {}
    if isinstance(config, dict):
        overrides = config
        config_class = config_for(overrides.get("ENV_NAME"))
    elif isinstance(config, type):
        config_class = config
    else:
        config_class = config_for(config)
    app.config.from_object(config_class)
    app.config.update(overrides)
    config_class.prepare(app.config)
    app.instance_path = str(app.config["INSTANCE_PATH"])
    if app.config["CPP_PROXY_COUNT"]:
        count = app.config["CPP_PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)


def register_extensions(app: Flask) -> None:
    """Bind the extensions created in `extensions.py`."""
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///"):
        app.config["INSTANCE_PATH"].mkdir(parents=True, exist_ok=True)
    db.init_app(app)
    with app.app_context():
        database.configure_engine(db.engine, app.config["CPP_SQLITE_BUSY_TIMEOUT_MS"])
    migrate.init_app(app, db, directory=str(app.config.get("MIGRATIONS_DIR", _migrations_dir())))
    csrf.init_app(app)
    limiter.init_app(app)

    compile_catalogs()
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS))
    babel.init_app(app, locale_selector=select_locale)
    bootstrap.init_app(app)
    configure_login(app)
    register_outbox(app, queue_email)


def register_imports(app: Flask) -> None:
    """Tell the one import pipeline about each feature's kind of import."""
    for kind in (MEMBER_IMPORT, STAKEHOLDER_IMPORT, TRAINING_IMPORT, ENGAGEMENT_IMPORT):
        register_import_kind(app, kind)


def register_input_checks(app: Flask) -> None:
    """Hold route ids, query strings, forms and JSON to what the database can take."""
    inputs.register(app)


def register_blueprints(app: Flask) -> None:
    """Mount each feature's blueprint."""
    for blueprint in (
        main_blueprint,
        auth_blueprint,
        account_blueprint,
        stations_blueprint,
        importing_blueprint,
        audit_blueprint,
        plans_blueprint,
        updates_blueprint,
        update_additions_blueprint,
        translations_blueprint,
        public_blueprint,
        surveys_blueprint,
        survey_public_blueprint,
        meetings_blueprint,
        outreach_blueprint,
        training_blueprint,
        engagement_blueprint,
        api_blueprint,
        api_tokens_blueprint,
        admin_tokens_blueprint,
        notifications_blueprint,
        reports_blueprint,
    ):
        app.register_blueprint(blueprint)


def register_errorhandlers(app: Flask) -> None:
    """Plain error pages that reveal nothing internal."""
    def render_error(error: Exception) -> ResponseReturnValue:
        code = getattr(error, "code", 500) or 500
        if code >= 500:
            db.session.rollback()
        if code == 403:
            log_refusal()
        if request.path.startswith("/api/"):
            if isinstance(error, HTTPException) and code < 500:
                return json_http_error(error)
            return jsonify(error={"status": code, "message": "Internal error"}), code
        return (public_error_page(code) or render_template("errors/error.html", code=code)), code

    for code in (400, 403, 404, 405, 413, 429, 500):
        app.register_error_handler(code, render_error)


def register_security_headers(app: Flask) -> None:
    """Add the security headers to every response."""
    app.after_request(apply_security_headers)


def register_template_helpers(app: Flask) -> None:
    """Globals and filters the templates share."""
    register_template_globals(app)


def register_commands(app: Flask) -> None:
    """Hang every command off the `flask cpp` group."""
    app.cli.add_command(cpp_group)


def _migrations_dir() -> str:
    return str(Path(__file__).resolve().parent.parent / "migrations")
