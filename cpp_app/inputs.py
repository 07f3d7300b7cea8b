"""Input checked at the boundary: ids within the database's range, no NUL bytes, shallow JSON.

Whatever arrives in a URL, a query string, a form or a JSON body is held to what the database
and the parsers can take before a view sees it, so hostile input gets a 4xx, never a 500.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, abort, request
from werkzeug.datastructures import ImmutableMultiDict, MultiDict
from werkzeug.routing import IntegerConverter, ValidationError

#: The largest value of the databases' INTEGER columns (PostgreSQL's is 32-bit signed).
MAX_DATABASE_INT = 2**31 - 1
#: The deepest nesting of arrays and objects a JSON body may have.
MAX_JSON_DEPTH = 32
NUL = "\x00"
#: Blueprints whose query strings and JSON bodies are checked against their own schema, which
#: refuses a NUL naming its field (the API's clients are programs, told exactly what is wrong).
SCHEMA_VALIDATED_BLUEPRINTS = frozenset({"api"})


class DatabaseIntegerConverter(IntegerConverter):
    """`<int:…>` in routes: digits up to the database's largest integer, else the URL is a 404."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:  # noqa: A002 - Werkzeug's name
        kwargs.setdefault("max", MAX_DATABASE_INT)
        super().__init__(map, *args, **kwargs)

    def to_python(self, value: str) -> int:
        """The id, refusing a run of digits too long to be one before converting it."""
        if len(value) > len(str(MAX_DATABASE_INT)):
            raise ValidationError
        return super().to_python(value)


def bounded_int(value: object, maximum: int = MAX_DATABASE_INT) -> int | None:
    """A non-negative whole number written in ASCII digits, up to `maximum`; else None.

    `str.isdigit()` accepts '²' and other digits `int()` refuses, and `int()` takes any size;
    this takes neither.
    """
    text = str(value).strip() if value is not None else ""
    if not text or not text.isascii() or not text.isdigit() or len(text) > len(str(maximum)):
        return None
    number = int(text)
    return number if number <= maximum else None


def json_shape(value: Any) -> tuple[int, bool]:
    """How deeply a decoded JSON value nests, and whether a string or key in it holds a NUL."""
    deepest, holds_nul = 0, False
    pending = [(value, 0)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, str):
            holds_nul = holds_nul or NUL in item
        elif isinstance(item, dict | list):
            deepest = max(deepest, depth + 1)
            children = [*item, *item.values()] if isinstance(item, dict) else item
            pending.extend((child, depth + 1) for child in children)
    return deepest, holds_nul


def _without_nul(values: MultiDict) -> ImmutableMultiDict:
    """The same keys and values with every NUL character taken out."""
    return ImmutableMultiDict([(key.replace(NUL, ""), value.replace(NUL, ""))
                               for key, value in values.items(multi=True)])


def _holds_nul(values: MultiDict) -> bool:
    return any(NUL in key or NUL in value for key, value in values.items(multi=True))


def refuse_hostile_input() -> None:
    """Before every request: NUL bytes out of query strings and forms, and 400 for the rest.

    A NUL carries nothing a person typed and PostgreSQL text cannot hold one: it is taken out
    of query strings, form fields and file names (so a slow survey keeps its answers); an
    address or a JSON body holding one, or JSON nested beyond reason, is a 400.
    """
    if NUL in request.path:
        abort(400, "The address holds a character that cannot be read (NUL).")
    schema_validated = request.blueprint in SCHEMA_VALIDATED_BLUEPRINTS
    if not schema_validated and _holds_nul(request.args):
        request.args = _without_nul(request.args)
    if request.is_json:
        _check_json_body(refuse_nul=not schema_validated)
    elif request.method in {"POST", "PUT", "PATCH"}:
        if _holds_nul(request.form):
            request.form = _without_nul(request.form)
        for _name, upload in request.files.items(multi=True):
            upload.filename = (upload.filename or "").replace(NUL, "")


def _check_json_body(*, refuse_nul: bool) -> None:
    """Refuse a JSON body nested too deeply to handle safely, or (`refuse_nul`) holding a NUL."""
    try:
        body = request.get_json(silent=True)
    except RecursionError:  # nested deeper than the parser itself goes
        abort(400, f"The JSON nests deeper than {MAX_JSON_DEPTH} levels.")
    depth, holds_nul = json_shape(body)
    if depth > MAX_JSON_DEPTH:
        abort(400, f"The JSON nests deeper than {MAX_JSON_DEPTH} levels.")
    if holds_nul and refuse_nul:
        abort(400, "The JSON holds a character that cannot be stored (NUL).")


def register(app: Flask) -> None:
    """Bound `<int:…>` route values and check every request's input (before the blueprints)."""
    app.url_map.converters["int"] = DatabaseIntegerConverter
    app.before_request(refuse_hostile_input)
