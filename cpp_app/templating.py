"""Template globals and filters shared by every page."""

from __future__ import annotations

from datetime import date

from flask import Flask, current_app, request, url_for
from flask_login import current_user

from cpp_app.clock import local_time, today_local
from cpp_app.form_errors import error_links, form_has_errors
from cpp_app.permissions import Action, can, can_move_response_status
from cpp_app.reminders.services import unread_count
from cpp_app.roles import Role
from cpp_app.stations.languages import language_name
from cpp_app.surveys.languages import native_name, text_direction


def show_date(value: date | None) -> str:
    """A date as YYYY-MM-DD, or an empty string."""
    return value.isoformat() if value else ""


def query_filters() -> dict[str, str]:
    """The current query string's filters, to carry into another link.

    Keys url_for would take for itself (`endpoint`, `_method`, `_external`, `_anchor`,
    `_scheme`, anything starting with `_`) are not filters, and are dropped.
    """
    return {key: value for key, value in request.args.items()
            if key != "endpoint" and not key.startswith("_")}


def url_with_filters(endpoint: str) -> str:
    """Another page's URL with the current page's filters."""
    return url_for(endpoint, **query_filters())


def url_for_page(page_number: int) -> str:
    """The current page's URL with another page number, keeping the filters."""
    arguments = query_filters()
    arguments.update(request.view_args or {})
    arguments["page"] = page_number
    return url_for(request.endpoint, **arguments)


def role_label(role: str) -> str:
    """A role's name as shown to people."""
    return Role.label_of(role)


def register(app: Flask) -> None:
    """Make the helpers available to every template."""
    app.jinja_env.globals.update(
        can=can,
        can_move=lambda response: can_move_response_status(current_user, response),
        unread_notifications=_unread_notifications,
        today_local=today_local,
        Action=Action,
        url_for_page=url_for_page,
        url_with_filters=url_with_filters,
        query_filters=query_filters,
        native_name=native_name,
        text_direction=text_direction,
        form_error_links=error_links,
        form_has_errors=form_has_errors,
        department_name=lambda: current_app.config["CPP_DEPARTMENT_NAME"],
    )
    app.jinja_env.filters.update(
        local_time=local_time,
        show_date=show_date,
        language_name=language_name,
        role_label=role_label,
    )


def _unread_notifications() -> int:
    return unread_count(current_user.id) if current_user.is_authenticated else 0

