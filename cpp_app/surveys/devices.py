"""Which surveys this device has answered: a signed cookie, kept on the device only.

The cookie holds survey ids and nothing else (no response id, no address, no identity), and
the server keeps no copy, so responses stay anonymous. It is signed with the app's secret
key (itsdangerous), so it cannot be forged to claim an answer, only deleted, which is why the
form is also rate-limited per client.
"""

from __future__ import annotations

from flask import Request, Response, current_app
from itsdangerous import BadSignature, URLSafeSerializer

COOKIE_NAME = "cpp_answered"
COOKIE_PATH = "/s/"
#: Long enough to outlast any survey; each new answer renews it.
COOKIE_MAX_AGE = 400 * 24 * 3600
#: The most surveys one cookie remembers (the newest are kept).
MAX_REMEMBERED = 100
_SALT = "cpp-survey-device-answered"


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=_SALT)


def answered_surveys(request: Request) -> list[int]:
    """The ids of the surveys this device has answered, oldest first (none if tampered with)."""
    raw = request.cookies.get(COOKIE_NAME)
    if not raw:
        return []
    try:
        ids = _serializer().loads(raw)
    except BadSignature:
        return []
    return [value for value in ids if isinstance(value, int)] if isinstance(ids, list) else []


def has_answered(request: Request, survey_id: int) -> bool:
    """Whether this device has already answered the survey."""
    return survey_id in answered_surveys(request)


def remember_answered(response: Response, request: Request, survey_id: int) -> None:
    """Add the survey to the device's cookie on `response`."""
    ids = [value for value in answered_surveys(request) if value != survey_id] + [survey_id]
    response.set_cookie(
        COOKIE_NAME, _serializer().dumps(ids[-MAX_REMEMBERED:]), max_age=COOKIE_MAX_AGE,
        path=COOKIE_PATH, httponly=True, samesite="Lax",
        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")))
