"""Small helpers the thin views share: pagination, choices, filter parsing."""

from __future__ import annotations

from datetime import date

from flask import current_app, request

from cpp_app.choices import select_choices
from cpp_app.extensions import db


def paginate(query):
    """Paginate a select() with the page in the query string and the configured page size."""
    return db.paginate(
        query,
        page=request.args.get("page", 1, type=int),
        per_page=current_app.config["CPP_PAGE_SIZE"],
        max_per_page=200,
        error_out=False,
    )


def station_choices(stations, empty_label: str | None = None) -> list:
    """Select-list choices for stations, optionally led by an empty choice."""
    pairs = [(str(station.id), station.label) for station in stations]
    if empty_label is not None:
        pairs.insert(0, ("", empty_label))
    return select_choices(pairs)


def optional_int(value: str | None) -> int | None:
    """An integer from a form value, or None when empty or not a number."""
    if value is None or not str(value).strip().isdigit():
        return None
    return int(value)


def tri_state(value: str | None) -> bool | None:
    """'yes' → True, 'no' → False, anything else → None (no filter)."""
    return {"yes": True, "no": False}.get(value or "")


def form_errors_to_field(form, error) -> None:
    """Attach a service error to the form field it names (or the form as a whole)."""
    field_name = getattr(error, "field", None)
    field = getattr(form, field_name, None) if field_name else None
    if field is not None:
        field.errors = [*field.errors, str(error)]
    else:
        form.form_errors.append(str(error))


def parse_iso_date(value: str | None) -> date | None:
    """A YYYY-MM-DD query-string date, or None when empty or malformed."""
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def visible_stations() -> list:
    """The stations the current user may see: their own for commanders and staff, else all."""
    from flask_login import current_user

    from cpp_app.permissions import station_scope
    from cpp_app.stations.services import all_stations

    scope = station_scope(current_user)
    return [station for station in all_stations() if scope is None or station.id == scope]


def scoped_station_id(requested: str | None = None) -> int | None:
    """The station a list should show: the user's own when they are station-bound, else the
    one requested in the query string (None for the whole department)."""
    from flask_login import current_user

    from cpp_app.permissions import station_scope

    scope = station_scope(current_user)
    return scope if scope is not None else optional_int(
        request.args.get("station") if requested is None else requested)


def attempt(form, action, *args) -> bool:
    """Run a service call; when it refuses, roll back and show the reason beside the field."""
    from cpp_app.errors import ServiceError

    try:
        action(*args)
    except ServiceError as error:
        db.session.rollback()
        form_errors_to_field(form, error)
        return False
    return True
