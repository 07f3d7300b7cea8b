"""The home page and the health check."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from cpp_app.clock import today_local
from cpp_app.extensions import limiter
from cpp_app.i18n import asked_language
from cpp_app.main.health import database_problem
from cpp_app.main.services import attention_items, department_summary
from cpp_app.permissions import Action, permission_required

blueprint = Blueprint("main", __name__)


@blueprint.route("/")
def index() -> Response:
    """Send people to their home page, or to the login page."""
    if current_user.is_authenticated:
        return redirect(url_for("main.dashboard"))
    language = asked_language(request)
    return redirect(url_for("public.home", **({"lang": language} if language else {})))


@blueprint.route("/home")
@permission_required(Action.VIEW_DASHBOARD)
def dashboard() -> str:
    """What the department looks like now, from where this user stands."""
    return render_template("main/dashboard.html", summary=department_summary(current_user),
                           attention=attention_items(current_user, today_local()))


@blueprint.route("/favicon.ico")
def favicon() -> Response:
    """The project's icon, for browsers that ask for it at the conventional address."""
    return redirect(url_for("static", filename="favicon.svg"), code=301)


@blueprint.route("/healthz")
@limiter.limit("60 per minute")
def health() -> ResponseReturnValue:
    """Liveness, and a database that answers and takes writes (reveals nothing else).

    503 with the reason ("database unavailable", "database not writable", "database disk
    nearly full") otherwise.
    """
    problem = database_problem()
    if problem:
        return jsonify(status="unavailable", reason=problem), 503
    return jsonify(status="ok")
