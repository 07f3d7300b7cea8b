"""Production needs a secret key and an audit key; cookies are Secure, HttpOnly, Lax; scrypt."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask

from cpp_app.app import create_app
from cpp_app.auth.models import User
from cpp_app.extensions import db
from tests import factories
from tests.helpers import log_in


def production_settings(tmp_path, **overrides) -> dict:
    """Settings for a production app on a throwaway in-memory database."""
    settings = {"ENV_NAME": "production", "SECRET_KEY": "p" * 64, "CPP_AUDIT_KEY": "a" * 64,
                "CPP_PUBLIC_BASE_URL": "https://cpp.example.gov",
                "SQLALCHEMY_DATABASE_URI": "sqlite://", "INSTANCE_PATH": tmp_path / "instance"}
    settings.update(overrides)
    return settings


def cookie_header(response, name: str) -> str:
    """The Set-Cookie header that sets cookie `name`."""
    headers = [value for value in response.headers.getlist("Set-Cookie")
               if value.startswith(f"{name}=")]
    assert headers, f"the response sets no {name} cookie"
    return headers[-1]


def cookie_attributes(header: str) -> set[str]:
    """A Set-Cookie header's attributes, lower-cased (`httponly`, `samesite=lax`, ...)."""
    return {part.strip().lower() for part in header.split(";")[1:]}


@pytest.fixture
def production_app(
        tmp_path,
        limiter_restored,  # noqa: ARG001 - a fixture can take set-up only as a parameter
) -> Iterator[Flask]:
    """A production-config app with a secret key."""
    application = create_app(production_settings(tmp_path))
    yield application
    with application.app_context():
        db.engine.dispose()


@pytest.mark.parametrize("missing_key", [None, ""])
def test_production_without_secret_key_refuses_to_start(monkeypatch, tmp_path, missing_key):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY must be set"):
        create_app(production_settings(tmp_path, SECRET_KEY=missing_key))


@pytest.mark.parametrize("audit_key", [None, "", "too-short"])
def test_production_without_a_proper_audit_key_refuses_to_start(monkeypatch, tmp_path,
                                                                  audit_key):
    monkeypatch.delenv("CPP_AUDIT_KEY", raising=False)
    with pytest.raises(RuntimeError, match="CPP_AUDIT_KEY must be set in production"):
        create_app(production_settings(tmp_path, CPP_AUDIT_KEY=audit_key))


def test_development_generates_its_audit_key_once_into_the_instance_folder(tmp_path):
    settings = {"ENV_NAME": "development", "SQLALCHEMY_DATABASE_URI": "sqlite://",
                "INSTANCE_PATH": tmp_path / "instance", "CPP_AUDIT_KEY": None,
                "RATELIMIT_ENABLED": False}
    first = create_app(settings).config["CPP_AUDIT_KEY"]
    assert first == (tmp_path / "instance" / "audit_key").read_text()
    assert len(first) == 64
    assert (tmp_path / "instance" / "audit_key").stat().st_mode & 0o777 == 0o600
    assert create_app(settings).config["CPP_AUDIT_KEY"] == first
    assert first != create_app(settings).config["SECRET_KEY"]


def test_production_marks_both_cookies_secure_and_http_only(production_app):
    config = production_app.config
    assert config["SESSION_COOKIE_SECURE"] is True
    assert config["REMEMBER_COOKIE_SECURE"] is True
    assert config["SESSION_COOKIE_HTTPONLY"] is True
    assert config["REMEMBER_COOKIE_HTTPONLY"] is True
    assert config["SESSION_COOKIE_SAMESITE"] == config["REMEMBER_COOKIE_SAMESITE"] == "Lax"
    assert not config.get("DEBUG")


def test_production_session_cookie_is_secure_and_sent_with_hsts(production_app):
    response = production_app.test_client().get("/login", base_url="https://localhost")
    attributes = cookie_attributes(cookie_header(response, "__Host-cpp_session"))
    assert {"secure", "httponly", "samesite=lax", "path=/"} <= attributes
    assert not any(attribute.startswith("domain=") for attribute in attributes)
    assert "max-age=" in response.headers.get("Strict-Transport-Security", "")


def test_production_cookies_carry_the_host_prefix(production_app):
    config = production_app.config
    for cookie in ("SESSION", "REMEMBER"):
        assert config[f"{cookie}_COOKIE_NAME"].startswith("__Host-")
        assert config[f"{cookie}_COOKIE_PATH"] == "/"
        assert config[f"{cookie}_COOKIE_DOMAIN"] is None
        assert config[f"{cookie}_COOKIE_SECURE"] is True


def test_session_cookie_set_on_login_is_http_only_and_same_site_lax(app, client, admin_user):
    response = log_in(client, admin_user.email)
    assert response.status_code == 302
    attributes = cookie_attributes(cookie_header(response, app.config["SESSION_COOKIE_NAME"]))
    assert "httponly" in attributes
    assert "samesite=lax" in attributes


def test_stored_password_is_a_salted_scrypt_hash_never_the_password():
    first = factories.make_user("viewer")
    second = factories.make_user("viewer")
    assert first.password_hash.startswith("scrypt:")
    assert factories.PASSWORD not in first.password_hash
    assert first.password_hash != second.password_hash
    assert first.check_password(factories.PASSWORD)
    assert not first.check_password(factories.PASSWORD.upper())


def test_production_hashes_passwords_with_full_strength_scrypt(production_app):
    with production_app.app_context():
        user = User(email="p@example.org", name="P", role="viewer")
        user.set_password(factories.PASSWORD)
    method = user.password_hash.split("$", 1)[0]
    assert method.startswith("scrypt:")
    cost = int(method.split(":")[1])
    assert cost >= 2**15
