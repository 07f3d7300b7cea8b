"""The error every feature's services raise for a change that cannot be made."""

from __future__ import annotations

from flask import Response, jsonify
from werkzeug.exceptions import HTTPException


class ServiceError(ValueError):
    """A change refused with a message for people, naming the form field it concerns if any."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def json_http_error(error: HTTPException) -> Response:
    """A framework error (404, 405, 413, 429…) as the API's JSON error, keeping its headers.

    One raised with no status (a bare HTTPException) is an internal error, told as nothing more.
    """
    code = error.code or 500
    message = error.description if code < 500 else "Internal error"
    response = jsonify(error={"status": code, "message": message})
    response.status_code = code
    for name, value in error.get_headers():
        if name.lower() != "content-type":
            response.headers[name] = value
    return response
