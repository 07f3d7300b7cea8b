"""HTTP security headers applied to every response."""

from __future__ import annotations

from flask import Response, current_app, request

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
