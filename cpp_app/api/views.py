"""JSON API v1: engagement records for records systems, with token auth and an OpenAPI document."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException

from cpp_app.api import services, validation
from cpp_app.api.openapi import openapi_document
from cpp_app.engagement.services import EngagementFilter
from cpp_app.errors import json_http_error
from cpp_app.extensions import csrf, db, limiter
from cpp_app.permissions import station_scope

blueprint = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(blueprint)  # token-authenticated: no cookies, so no cross-site request forgery

API_RATE_LIMIT = "300 per minute"


@blueprint.errorhandler(services.ApiError)
def api_error(error: services.ApiError) -> ResponseReturnValue:
    """Errors as JSON with a message saying what is wrong (and the field, when one is)."""
    db.session.rollback()
    body = {"status": error.status, "message": error.message}
    if error.field:
        body["field"] = error.field
    return jsonify(error=body), error.status


@blueprint.errorhandler(HTTPException)
def http_error(error: HTTPException) -> ResponseReturnValue:
    """Framework errors (404, 405, 413, 429…) as JSON too, with their headers (Allow…)."""
    return json_http_error(error)


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
    query = validation.query_values("listEngagementRecords", request.args)
    filters = EngagementFilter(call_type=query["call_type"] or "", date_from=query["from"],
                               date_to=query["to"])
    scope = station_scope(token.user)
    filters.station_id = scope if scope is not None else query["station"]
    return jsonify(services.list_records(filters, query["page"], query["per_page"]))


@blueprint.route("/engagement-records", methods=["POST"])
@limiter.limit(API_RATE_LIMIT)
def push_engagement_records() -> ResponseReturnValue:
    """Store a batch of records as an import batch; say what was inserted, present, rejected."""
    token = services.authenticate(request.headers.get("Authorization"), "engagement:write")
    if not request.is_json:
        raise services.ApiError(415, "Send the records as application/json.")
    payload = validation.read_json(request.get_data(cache=False))
    services.refuse_oversized_batch(payload)
    validation.check_body("Batch", payload)
    result = services.push_records(payload, token.user)
    status = 201 if result.inserted else 200
    return jsonify(received=result.received, inserted=result.inserted,
                   already_present=result.already_present, rejected=result.rejected,
                   unknown_call_types=result.unknown_call_types,
                   batch_id=result.batch_id), status
