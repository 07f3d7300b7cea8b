"""Security headers on every response, no inline scripts, and error pages that reveal nothing."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from flask import Flask

from cpp_app.extensions import db
from tests import factories
from tests.helpers import PROJECT_ROOT, make_test_app

TEMPLATES = PROJECT_ROOT / "templates"
SCRIPT_TAG = re.compile(r"<script\b[^>]*>", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.IGNORECASE)
SAFE_REFERRER_POLICIES = {"no-referrer", "same-origin", "strict-origin",
                          "strict-origin-when-cross-origin"}
INTERNAL_DETAIL = "crashed while reading the ledger at /srv/secret/path.py"

ERROR_TITLES = {400: "Bad request", 403: "Not allowed", 404: "Page not found",
                405: "Not allowed", 500: "Something went wrong"}


def csp_directives(response) -> dict[str, list[str]]:
    """The Content-Security-Policy header as {directive: [sources]}."""
    header = response.headers.get("Content-Security-Policy", "")
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = words[1:]
    return directives


def assert_security_headers(response) -> None:
    """CSP without inline scripts and with no framing, nosniff, and a safe referrer policy."""
    directives = csp_directives(response)
    script_sources = directives.get("script-src", directives.get("default-src"))
    assert script_sources, "no script-src (or default-src) in the Content-Security-Policy"
    assert "'unsafe-inline'" not in script_sources
    assert "'unsafe-eval'" not in script_sources
    assert directives.get("frame-ancestors") == ["'none'"]
    assert response.headers.get("X-Content-Type-Options") == "nosniff"
    assert response.headers.get("Referrer-Policy") in SAFE_REFERRER_POLICIES


def assert_reveals_nothing_internal(body: str) -> None:
    """No traceback, exception text, source paths or library names in an error page."""
    for leak in ("Traceback", "File \"", INTERNAL_DETAIL, "RuntimeError", ".py",
                 "/work/", "site-packages", "werkzeug", "sqlalchemy"):
        assert leak.lower() not in body.lower(), f"error page reveals {leak!r}"


def inline_scripts(html: str) -> list[str]:
    """Script tags without a src attribute, and inline event-handler attributes."""
    tags = [tag for tag in SCRIPT_TAG.findall(html) if not re.search(r"\ssrc\s*=", tag)]
    return tags + INLINE_HANDLER.findall(html)


@pytest.fixture
def crashing_app(app: Flask, tmp_path) -> Iterator[Flask]:
    """A separate app on the test database with a test-only route that raises."""
    crashing = make_test_app(tmp_path, PROPAGATE_EXCEPTIONS=False,
                             SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"])

    def explode():
        raise RuntimeError(INTERNAL_DETAIL)

    crashing.add_url_rule("/test-only/explode", "explode", explode)
    yield crashing
    with crashing.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.mark.parametrize(("path", "status"), [
    ("/login", 200), ("/no-such-page", 404), ("/static/app.css", 200),
    ("/bootstrap/static/js/bootstrap.min.js", 200), ("/healthz", 200), ("/", 302)])
def test_anonymous_responses_carry_the_security_headers(client, path, status):
    response = client.get(path)
    assert response.status_code == status
    assert_security_headers(response)


@pytest.mark.parametrize(("path", "status"), [
    ("/home", 200), ("/members", 200), ("/admin/users", 200), ("/no-such-page", 404)])
def test_logged_in_responses_carry_the_security_headers(admin_client, path, status):
    response = admin_client.get(path)
    assert response.status_code == status
    assert_security_headers(response)


def test_server_error_response_carries_the_security_headers(crashing_app):
    assert_security_headers(crashing_app.test_client().get("/test-only/explode"))


def test_login_page_has_no_inline_script(client):
    response = client.get("/login")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert SCRIPT_TAG.search(html), "the page loads no script at all"
    assert inline_scripts(html) == []


@pytest.mark.parametrize("path", ["/home", "/members", "/admin/users"])
def test_logged_in_pages_have_no_inline_script(admin_client, station, path):
    factories.make_member(station)
    response = admin_client.get(path)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert SCRIPT_TAG.search(html), "the page loads no script at all"
    assert inline_scripts(html) == []


def test_no_template_contains_an_inline_script():
    templates = sorted(TEMPLATES.rglob("*.html"))
    assert len(templates) > 50
    assert TEMPLATES / "base.html" in templates
    offenders = {str(path.relative_to(TEMPLATES)): found for path in templates
                 if (found := inline_scripts(path.read_text(encoding="utf-8")))}
    assert offenders == {}


def test_bad_request_renders_the_plain_error_page(client):
    response = client.post("/login", data={"email": "a@example.org", "password": "x" * 12})
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert f"<h1>{ERROR_TITLES[400]}</h1>" in body
    assert_reveals_nothing_internal(body)


def test_forbidden_renders_the_plain_error_page(client, login):
    login(factories.make_user("viewer"))
    response = client.get("/admin/users")
    assert response.status_code == 403
    body = response.get_data(as_text=True)
    assert f"<h1>{ERROR_TITLES[403]}</h1>" in body
    assert_reveals_nothing_internal(body)


def test_not_found_renders_the_plain_error_page(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    body = response.get_data(as_text=True)
    assert f"<h1>{ERROR_TITLES[404]}</h1>" in body
    assert_reveals_nothing_internal(body)


def test_method_not_allowed_renders_the_plain_error_page(client):
    response = client.get("/logout")
    assert response.status_code == 405
    body = response.get_data(as_text=True)
    assert f"<h1>{ERROR_TITLES[405]}</h1>" in body
    assert_reveals_nothing_internal(body)


def test_server_error_renders_the_plain_page_without_internals(crashing_app):
    response = crashing_app.test_client().get("/test-only/explode")
    assert response.status_code == 500
    body = response.get_data(as_text=True)
    assert f"<h1>{ERROR_TITLES[500]}</h1>" in body
    assert "ledger" not in body
    assert_reveals_nothing_internal(body)
