"""What the thin views share: submitting a form to a service, pagination, choices, filters."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from datetime import date
from typing import Any

from flask import Response, abort, current_app, flash, redirect, request
from flask.typing import ResponseReturnValue
from flask_sqlalchemy.pagination import Pagination
from flask_wtf import FlaskForm
from sqlalchemy import Select
from werkzeug.exceptions import HTTPException

from cpp_app.errors import ServiceError
from cpp_app.extensions import db
from cpp_app.form_errors import mark_form_errors
from cpp_app.forms import ConfirmForm
from cpp_app.inputs import bounded_int

#: The highest page number read from a query string (beyond it, the page is simply empty).
MAX_PAGE = 100_000


def page_number() -> int:
    """The page asked for in the query string: a whole number from 1 to MAX_PAGE, else 1."""
    page = bounded_int(request.args.get("page"), MAX_PAGE)
    return page if page else 1


#: `?format=excel` on a CSV download asks for the Excel-friendly file.
EXCEL_CSV_FORMAT = "excel"
BARE_LINE_FEED = re.compile(r"(?<!\r)\n")


def csv_download(text: str, filename: str) -> Response:
    """A CSV file to download: as written, or with `?format=excel` the Excel-friendly one.

    Excel reads a CSV without a byte-order mark in the computer's legacy code page and garbles
    every accent; the Excel-friendly file is the same text in UTF-8 with a byte-order mark and
    CRLF line ends, named `<name>-excel.csv`.
    """
    if request.args.get("format") == EXCEL_CSV_FORMAT:
        text = "\ufeff" + BARE_LINE_FEED.sub("\r\n", text)
        filename = filename.removesuffix(".csv") + "-excel.csv"
    return Response(text, mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


#: The hidden field naming the handler of a form that posts to the page it is on.
FORM_ACTION_FIELD = "form_action"


def paginate(query: Select) -> Pagination:
    """Paginate a select() with the page in the query string and the configured page size."""
    return db.paginate(
        query,
        page=page_number(),
        per_page=current_app.config["CPP_PAGE_SIZE"],
        max_per_page=200,
        error_out=False,
    )


def optional_int(value: str | None) -> int | None:
    """An id from a form or query value, or None when empty, not a number or out of range."""
    return bounded_int(value)


def tri_state(value: str | None) -> bool | None:
    """'yes' → True, 'no' → False, anything else → None (no filter)."""
    return {"yes": True, "no": False}.get(value or "")


def form_errors_to_field(form: FlaskForm, error: Exception,
                         field_names: dict[str, str] | None = None) -> None:
    """Attach a service error to the form field it names (or the form as a whole).

    `field_names` maps a service's field names to the form's where they differ.
    """
    field_name = getattr(error, "field", None)
    field_name = (field_names or {}).get(field_name, field_name)
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


Outcome = Callable[[Any], str]


def call_service(form: FlaskForm, action: Callable[[], Any],
                 field_names: dict[str, str] | None = None) -> tuple[bool, Any]:
    """Run a service call for a submitted form: (True, its result), or (False, None) if refused.

    When the service refuses, roll back and show the reason beside the field it names (through
    `field_names` where the form calls it otherwise) or above the form.
    """
    try:
        return True, action()
    except ServiceError as error:
        db.session.rollback()
        form_errors_to_field(form, error, field_names)
        mark_form_errors()
        return False, None


def submit_form(form: FlaskForm, action: Callable[[], Any], *, success: str | Outcome,
                next_url: str | Outcome, field_names: dict[str, str] | None = None,
                redirect_code: int = 302) -> Response | None:
    """The one way a form reaches a service.

    When the submitted form is valid, run `action` (the service call). If it succeeds, flash
    `success` (nothing when empty) and redirect to `next_url`; either may be a function of
    what the service returned. If the service refuses, its reason goes beside the field (see
    `call_service`). Returns None whenever the view should render the form again, with the
    errors and what was typed.
    """
    if not form.validate_on_submit():
        if form.is_submitted():
            mark_form_errors()
        return None
    done, result = call_service(form, action, field_names)
    if not done:
        return None
    message = success(result) if callable(success) else success
    if message:
        flash(message, "success")
    return redirect(next_url(result) if callable(next_url) else next_url, code=redirect_code)


def run_confirmed(action: Callable[[], Any], *, success: str | Outcome,
                  next_url: str | Outcome, form: FlaskForm | None = None,
                  invalid: str = "") -> Response:
    """A button that posts its CSRF token (and perhaps a choice, in `form`).

    Run the service, flash what came of it (the success message, or why it was refused) and
    redirect.

    A button's own form that does not validate is flashed as `invalid`; a bare confirmation
    that does not validate is a bad request.
    """
    form = form or ConfirmForm()
    if not form.validate_on_submit():
        if isinstance(form, ConfirmForm):
            abort(400)
        flash(invalid or "The request could not be read; please try again.", "danger")
        return redirect(next_url(None) if callable(next_url) else next_url)
    try:
        result = action()
    except ServiceError as error:
        db.session.rollback()
        flash(str(error), "danger")
        result = None
    else:
        message = success(result) if callable(success) else success
        if message:
            flash(message, "success")
    return redirect(next_url(result) if callable(next_url) else next_url)


def post_to_page(handlers: Collection[str]) -> ResponseReturnValue:
    """A form posted to the page it is on, handed to the view it names.

    A page of several forms has each post to the page's own address, with the path of the
    view that handles it in `form_action`: a form sent back with errors then keeps the page's
    address (a reload asks before posting again) instead of showing the handler's. Only the
    endpoints in `handlers` are reached, with the page's own path values, and each still
    checks its permissions itself.
    """
    target = request.form.get(FORM_ACTION_FIELD, "").removeprefix(request.script_root)
    try:
        endpoint, values = current_app.url_map.bind("").match(target, method="POST")
    except HTTPException:
        abort(400)
    page_values = request.view_args or {}
    if endpoint not in handlers or any(values.get(name, value) != value
                                       for name, value in page_values.items()):
        abort(400)
    return current_app.view_functions[endpoint](**values)
