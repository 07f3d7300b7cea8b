"""The OpenAPI 3.0 description of API v1, written to match the views exactly."""

from __future__ import annotations

from cpp_app.api.models import SCOPES
from cpp_app.api.services import MAX_BATCH
from cpp_app.engagement.models import KNOWN_CALL_TYPES

#: Text fields refuse the NUL character, which no database column stores.
NO_NUL = "^[^\\x00]*$"
#: The largest page number and station id the API reads.
MAX_PAGE = 100_000
MAX_ID = 2_147_483_647


def _text(max_length: int, **extra: object) -> dict:
    return {"type": "string", "maxLength": max_length, "pattern": NO_NUL, **extra}


def _error(description: str) -> dict:
    return {"description": description,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}


def openapi_document() -> dict:
    """The document served at /api/v1/openapi.json."""
    errors = {status: _error(text) for status, text in (
        ("400", "A query parameter or the JSON is malformed; the message (and `field`) say "
                "what is wrong."),
        ("401", "No valid API token was sent: missing, unknown, revoked, expired, or created "
                "before its user's password was last changed."),
        ("403", "The token lacks the scope, or its user may not do this."),
        ("429", "Too many requests; wait a minute."),
        ("500", "An internal error; nothing was stored."),
    )}
    return {
        "openapi": "3.0.3",
        "info": {"title": "CPP Manager API", "version": "1.0.0",
                 "description": "Engagement records for records-management systems. "
                                "Create a token under 'API tokens' in the app."},
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearerToken": []}],
        "paths": {
            "/engagement-records": {
                "get": {
                    "summary": "List engagement records, newest first",
                    "operationId": "listEngagementRecords",
                    "description": "Needs the engagement:read scope. Commanders' and station "
                                   "staff's tokens see their own station only.",
                    "parameters": [
                        _query("page", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE,
                                        "default": 1}),
                        _query("per_page", {"type": "integer", "minimum": 1, "maximum": 500,
                                            "default": 100}),
                        _query("station", {"type": "integer", "minimum": 1, "maximum": MAX_ID},
                               "Station id."),
                        _query("call_type", _text(80, example=KNOWN_CALL_TYPES[0])),
                        _query("from", {"type": "string", "format": "date"}),
                        _query("to", {"type": "string", "format": "date"}),
                    ],
                    "responses": {
                        "200": {"description": "One page of records.", "content": {
                            "application/json": {"schema": {"$ref": "#/components/schemas/Page"}}
                        }},
                        **errors,
                    },
                },
                "post": {
                    "summary": "Push a batch of engagement records",
                    "operationId": "pushEngagementRecords",
                    "description": "Needs the engagement:write scope. Records already present "
                                   "(same content and occurrence in the batch) are skipped, "
                                   "so a retried push adds nothing; rejected records are listed "
                                   "with their index and reason while the others are stored. "
                                   "Each push is recorded as an import batch (kind "
                                   "engagements, file 'API push'), like an uploaded file. "
                                   "A body that breaks the schema (a wrong type, a missing "
                                   "or unknown field, a value too long) is refused as a "
                                   "whole with 422, naming the field.",
                    "requestBody": {"required": True, "content": {"application/json": {
                        "schema": {"$ref": "#/components/schemas/Batch"}}}},
                    "responses": {
                        "201": {"description": "At least one record was inserted.",
                                "content": {"application/json": {"schema": {
                                    "$ref": "#/components/schemas/PushResult"}}}},
                        "200": {"description": "Nothing new was inserted.",
                                "content": {"application/json": {"schema": {
                                    "$ref": "#/components/schemas/PushResult"}}}},
                        "413": _error(f"More than {MAX_BATCH} records in one request, or a "
                                      "body larger than the upload limit."),
                        "415": _error("The body is not application/json."),
                        "422": _error("The body breaks the schema; `field` names where."),
                        **errors,
                    },
                },
            },
        },
        "components": {
            "securitySchemes": {"bearerToken": {
                "type": "http", "scheme": "bearer",
                "description": "Scopes: " + "; ".join(f"{k} ({v})" for k, v in SCOPES.items()),
            }},
            "schemas": {
                "Error": {"type": "object", "required": ["error"], "properties": {
                    "error": {"type": "object", "required": ["status", "message"],
                              "properties": {"status": {"type": "integer"},
                                             "message": {"type": "string"},
                                             "field": {"type": "string", "description":
                                                       "Where the request is wrong, e.g. "
                                                       "records[0].date or per_page."}}}}},
                "RecordIn": {"type": "object", "required": ["date", "call_type"],
                             "additionalProperties": False, "properties": {
                                 "date": _text(40, example="2017-01-03",
                                               description="YYYY-MM-DD, M/D/YYYY or an Excel "
                                                           "serial number."),
                                 "time": _text(40, nullable=True, example="13:05",
                                               description="13:05, 1:05 PM, 1305 or "
                                                           "13:05:00."),
                                 "call_type": _text(80, example=KNOWN_CALL_TYPES[0]),
                                 "shield_number": _text(20, nullable=True),
                                 "location": _text(255, nullable=True)}},
                "Batch": {"type": "object", "required": ["records"],
                          "additionalProperties": False, "properties": {
                    "records": {"type": "array", "minItems": 1, "maxItems": MAX_BATCH,
                                "items": {"$ref": "#/components/schemas/RecordIn"}}}},
                "Record": {"type": "object", "properties": {
                    "id": {"type": "integer"},
                    "date": {"type": "string", "format": "date"},
                    "time": {"type": "string", "nullable": True},
                    "call_type": {"type": "string"},
                    "shield_number": {"type": "string", "nullable": True},
                    "location": {"type": "string"},
                    "station_code": {"type": "string", "nullable": True},
                    "member_linked": {"type": "boolean"},
                    "problem_id": {"type": "integer", "nullable": True}}},
                "Page": {"type": "object", "properties": {
                    "items": {"type": "array", "items": {"$ref": "#/components/schemas/Record"}},
                    "page": {"type": "integer"}, "per_page": {"type": "integer"},
                    "total": {"type": "integer"}}},
                "PushResult": {"type": "object", "properties": {
                    "received": {"type": "integer"}, "inserted": {"type": "integer"},
                    "already_present": {"type": "integer"},
                    "rejected": {"type": "array", "items": {"type": "object", "properties": {
                        "index": {"type": "integer"}, "reason": {"type": "string"}}}},
                    "unknown_call_types": {"type": "object",
                                           "additionalProperties": {"type": "integer"}},
                    "batch_id": {"type": "integer",
                                 "description": "The import batch recording this push."}}},
            },
        },
    }


def _query(name: str, schema: dict, description: str = "") -> dict:
    parameter = {"name": name, "in": "query", "required": False, "schema": schema}
    if description:
        parameter["description"] = description
    return parameter
