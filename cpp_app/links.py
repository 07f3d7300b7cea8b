"""Absolute links to the app for people outside it: QR codes, flyers, links in emails.

They are built from `CPP_PUBLIC_BASE_URL` (required in production), never from the Host
header of whoever made the request. Only in development and testing, with no base URL set, do
they fall back to the current request's own root.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from flask import current_app, has_request_context, request, url_for

#: Environments where a link may fall back to the request's root.
FALLBACK_ENVIRONMENTS = frozenset({"development", "testing"})


class PublicBaseUrlMissingError(RuntimeError):
    """A public link was asked for where none can be built safely."""


def public_url(endpoint: str, **values: Any) -> str:
    """The absolute public URL of an endpoint, e.g. a survey's form for its QR code."""
    base = current_app.config.get("CPP_PUBLIC_BASE_URL") or ""
    if not base:
        _refuse_without_fallback()
        return url_for(endpoint, _external=True, **values)
    parts = urlsplit(base.rstrip("/"))
    adapter = current_app.url_map.bind(parts.netloc, script_name=parts.path or "/",
                                       url_scheme=parts.scheme)
    return adapter.build(endpoint, values, force_external=True)


def absolute_link(path: str) -> str:
    """A path inside the app (/manage/…) as an absolute link, or as given when none can be made."""
    base = current_app.config.get("CPP_PUBLIC_BASE_URL") or ""
    if base:
        return base.rstrip("/") + path
    if has_request_context() and _may_fall_back():
        return request.url_root.rstrip("/") + path
    return path


def _may_fall_back() -> bool:
    return current_app.config.get("ENV_NAME") in FALLBACK_ENVIRONMENTS


def _refuse_without_fallback() -> None:
    if not (has_request_context() and _may_fall_back()):
        raise PublicBaseUrlMissingError(
            "Set CPP_PUBLIC_BASE_URL (e.g. https://cpp.example.gov) to build public links.")
