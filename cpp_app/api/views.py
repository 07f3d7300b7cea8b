"""JSON API v1: engagement records for records systems, with token auth and an OpenAPI document."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, jsonify, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException

from cpp_app.api import services
from cpp_app.api.openapi import openapi_document
from cpp_app.engagement.services import EngagementFilter
from cpp_app.extensions import csrf, db, limiter
from cpp_app.inputs import MAX_DATABASE_INT, bounded_int
from cpp_app.permissions import station_scope
from cpp_app.viewhelpers import optional_int, parse_iso_date

blueprint = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(blueprint)  # token-authenticated: no cookies, so no cross-site request forgery

API_RATE_LIMIT = "300 per minute"
MAX_PER_PAGE = 500


@blueprint.errorhandler(services.ApiError)
def api_error(error: services.ApiError) -> ResponseReturnValue:
    """Errors as JSON with a message saying what is wrong."""
    db.session.rollback()
    return jsonify(error={"status": error.status, "message": error.message}), error.status


@blueprint.errorhandler(HTTPException)
def http_error(error: HTTPException) -> ResponseReturnValue:
    """Framework errors (404, 405, 413, 429…) as JSON too; one with no status is a 500."""
    code = error.code or 500
    if code >= 500:
        db.session.rollback()
    message = error.description if code < 500 else "Internal error"
    return jsonify(error={"status": code, "message": message}), code


@blueprint.route("/openapi.json")
@limiter.limit(API_RATE_LIMIT)
def openapi() -> Response:
    """The OpenAPI 3 description of this API."""
    return jsonify(openapi_document())


@blueprint.route("/engagement-records", methods=["GET"])
@limiter.limit(API_RATE_LIMIT)
def list_engagement_records() -> Response:
    """Records with filters and pagination."""
    token = services.authenticate(request.headers.get("Authorization"), "engagement:read")
    page = _positive_int("page", 1)
    per_page = _positive_int("per_page", 100)
    if per_page > MAX_PER_PAGE:
        raise services.ApiError(400, f"per_page can be at most {MAX_PER_PAGE}.")
    filters = EngagementFilter(call_type=request.args.get("call_type", "")[:80],
                               date_from=_date("from"), date_to=_date("to"))
    scope = station_scope(token.user)
    filters.station_id = scope if scope is not None else optional_int(request.args.get("station"))
    return jsonify(services.list_records(filters, page, per_page))


@blueprint.route("/engagement-records", methods=["POST"])
@limiter.limit(API_RATE_LIMIT)
def push_engagement_records() -> ResponseReturnValue:
    """Store a batch of records as an import batch; say what was inserted, present, rejected."""
    token = services.authenticate(request.headers.get("Authorization"), "engagement:write")
    if not request.is_json:
        raise services.ApiError(415, "Send the records as application/json.")
    result = services.push_records(request.get_json(silent=True), token.user)
    status = 201 if result.inserted else 200
    return jsonify(received=result.received, inserted=result.inserted,
                   already_present=result.already_present, rejected=result.rejected,
                   unknown_call_types=result.unknown_call_types,
                   batch_id=result.batch_id), status


def _positive_int(name: str, default: int) -> int:
    raw = request.args.get(name)
    if raw is None:
        return default
    number = bounded_int(raw)
    if not number:
        raise services.ApiError(
            400, f"{name} must be a whole number from 1 to {MAX_DATABASE_INT}.")
    return number


def _date(name: str) -> date | None:
    raw = request.args.get(name)
    value = parse_iso_date(raw)
    if raw and value is None:
        raise services.ApiError(400, f"{name} must be a date as YYYY-MM-DD.")
    return value
