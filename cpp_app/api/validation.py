"""Requests checked against the OpenAPI document itself: the JSON body and the query string.

A body that breaks the documented schema is refused as a whole (422) with the field named; a
query parameter of the wrong type or out of its range is refused (400) likewise. Nothing is
checked that the document does not say, so the document and the checks cannot drift apart.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from datetime import date
from functools import cache
from typing import Any

from jsonschema import Draft4Validator
from jsonschema.exceptions import ValidationError, best_match

from cpp_app.api.openapi import openapi_document
from cpp_app.api.services import ApiError

#: A pushed batch is three levels deep; anything far deeper is refused before it is read on.
MAX_JSON_DEPTH = 10
MAX_MESSAGE = 300
SCHEMA_PREFIX = "#/components/schemas/"


def read_json(raw: bytes) -> Any:
    """The body's JSON; ApiError 400 when it is not JSON or is nested too deeply."""
    try:
        payload = json.loads(raw)
    except RecursionError as error:
        raise ApiError(400, f"The JSON is nested deeper than {MAX_JSON_DEPTH} levels.") from error
    except ValueError as error:
        raise ApiError(400, f"The body is not valid JSON: {error}.") from error
    if _depth(payload) > MAX_JSON_DEPTH:
        raise ApiError(400, f"The JSON is nested deeper than {MAX_JSON_DEPTH} levels.")
    return payload


def check_body(schema_name: str, payload: Any) -> None:
    """ApiError 422 naming the field when `payload` breaks the named schema of the document."""
    error = best_match(_validator(schema_name).iter_errors(payload))
    if error is None:
        return
    field, message = _described(error)
    text = f"{field}: {message}" if field else message
    raise ApiError(422, text[:MAX_MESSAGE], field or None)


def query_values(operation_id: str, args: Mapping[str, str]) -> dict[str, Any]:
    """The operation's documented query parameters read from `args`: typed, checked, defaulted.

    ApiError 400 naming the parameter when one has the wrong type or is out of its range.
    """
    values = {}
    for parameter in _operation(operation_id)["parameters"]:
        name, schema = parameter["name"], parameter["schema"]
        raw = args.get(name)
        values[name] = schema.get("default") if raw is None else _query_value(name, schema, raw)
    return values


def _query_value(name: str, schema: dict, raw: str) -> Any:
    if schema["type"] == "integer":
        if not re.fullmatch(r"[0-9]{1,12}", raw):
            raise ApiError(400, f"{name} must be a whole number.", name)
        value = int(raw)
        if not schema.get("minimum", value) <= value <= schema.get("maximum", value):
            raise ApiError(400, f"{name} must be between {schema.get('minimum')} and "
                                f"{schema.get('maximum')}.", name)
        return value
    if schema.get("format") == "date":
        return _iso_date(name, raw)
    if len(raw) > schema.get("maxLength", len(raw)) or \
            not re.search(schema.get("pattern", ""), raw):
        raise ApiError(400, f"{name} must be text of at most {schema.get('maxLength')} "
                            "characters, without NUL characters.", name)
    return raw


def _iso_date(name: str, raw: str) -> date:
    try:
        if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", raw):
            return date.fromisoformat(raw)
    except ValueError:
        pass
    raise ApiError(400, f"{name} must be a date as YYYY-MM-DD.", name)


def _described(error: ValidationError) -> tuple[str, str]:
    """Where the error is (records[0].date) and what is wrong there."""
    field = "".join(f"[{part}]" if isinstance(part, int) else f".{part}"
                    for part in error.absolute_path).removeprefix(".")
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        unknown = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        return (f"{field}.{unknown[0]}" if field else unknown[0]), "unknown field"
    return field, error.message


def _depth(payload: Any) -> int:
    """How deeply arrays and objects nest in `payload` (a scalar is 0)."""
    deepest, level = 0, [(payload, 1)]
    while level:
        value, depth = level.pop()
        children = value.values() if isinstance(value, dict) else \
            value if isinstance(value, list) else None
        if children is None:
            continue
        deepest = max(deepest, depth)
        if deepest > MAX_JSON_DEPTH:
            return deepest
        level.extend((child, depth + 1) for child in children)
    return deepest


def _operation(operation_id: str) -> dict:
    for operations in openapi_document()["paths"].values():
        for operation in operations.values():
            if operation.get("operationId") == operation_id:
                return operation
    raise KeyError(operation_id)


@cache
def _validator(schema_name: str) -> Draft4Validator:
    """A JSON Schema validator for a schema of the document (OpenAPI 3.0 `nullable` resolved)."""
    components = openapi_document()["components"]["schemas"]
    return Draft4Validator(_json_schema(components[schema_name], components))


def _json_schema(schema: Any, components: dict) -> Any:
    """The OpenAPI schema as plain JSON Schema: references inlined, `nullable` as a null type."""
    if isinstance(schema, list):
        return [_json_schema(item, components) for item in schema]
    if not isinstance(schema, dict):
        return schema
    if "$ref" in schema:
        return _json_schema(components[schema["$ref"].removeprefix(SCHEMA_PREFIX)], components)
    converted = {key: _json_schema(value, components) for key, value in schema.items()
                 if key not in {"nullable", "example", "description", "properties"}}
    if "properties" in schema:
        converted["properties"] = {name: _json_schema(value, components)
                                   for name, value in schema["properties"].items()}
    if schema.get("nullable") and "type" in schema:
        converted["type"] = [schema["type"], "null"]
    return converted
