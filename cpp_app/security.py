"""HTTP security headers applied to every response, and refused requests logged."""

from __future__ import annotations

import logging

from flask import Response, current_app, request
from flask_login import current_user

logger = logging.getLogger("cpp_app.security")

#: Endpoints serving the project's and Bootstrap's static files, which browsers may cache.
STATIC_ENDPOINTS = frozenset({"static", "bootstrap.static"})

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def apply_security_headers(response: Response) -> Response:
    """Set CSP, framing, sniffing, referrer and permissions headers (and HSTS in production).

    Everything but static files is `Cache-Control: no-store`: pages, API replies and every
    download (CSV exports, PDF reports), so no shared or browser cache keeps a copy.
    """
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if current_app.config.get("SESSION_COOKIE_SECURE"):
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if request.endpoint not in STATIC_ENDPOINTS:
        headers["Cache-Control"] = "no-store"
    return response


def log_refusal() -> None:
    """Write a refused request (403) to the log: who, what, and from which address."""
    who = current_user.email if current_user.is_authenticated else "anonymous"
    logger.warning("403 refused %s %s to %s from %s", request.method, request.path, who,
                   request.remote_addr)
