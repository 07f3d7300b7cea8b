"""Each audit event records the client address of its request, shown on the audit pages."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from sqlalchemy import func, select

from cpp_app.audit import services as audit
from cpp_app.audit.models import AuditEvent
from cpp_app.extensions import db
from cpp_app.stations import services as stations
from tests import factories
from tests.factories.surveys import template_survey
from tests.helpers import csrf_token, make_test_app, post_form

RESIDENT = {"REMOTE_ADDR": "203.0.113.7"}


def log_in_from(client, email: str, password: str = factories.PASSWORD, **request):
    """Post the login form with the request details given (environ_base, headers)."""
    return post_form(client, "/login", {"email": email, "password": password}, **request)


def addresses() -> list[tuple[str, str | None]]:
    """(action, client address) of every event, oldest first."""
    return list(db.session.execute(
        select(AuditEvent.action, AuditEvent.client_address).order_by(AuditEvent.sequence)))


@pytest.fixture
def proxied_app(app: Flask, tmp_path) -> Iterator[Flask]:
    """A second app on the test database, behind one trusted proxy (CPP_PROXY_COUNT=1)."""
    proxied = make_test_app(tmp_path, CPP_PROXY_COUNT=1,
                            SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"])
    yield proxied
    with proxied.app_context():
        db.session.remove()
        db.engine.dispose()


def test_logins_and_changes_record_the_address_they_came_from(client, admin_user):
    log_in_from(client, admin_user.email, "wrong password!", environ_base=RESIDENT)
    log_in_from(client, admin_user.email, environ_base={"REMOTE_ADDR": "2001:db8::42"})
    with audit.acting_as("cli:test"):
        stations.create_station(stations.StationDetails(code="A", name="Alpha"))
    assert addresses() == [("user.login_failed", "203.0.113.7"),
                           ("user.login", "2001:db8::42"), ("station.create", None)]
    assert audit.verify_chain().intact


def test_the_address_is_signed_with_the_event(client, admin_user):
    log_in_from(client, admin_user.email, environ_base=RESIDENT)
    db.session.execute(AuditEvent.__table__.update().values(client_address="198.51.100.1"))
    db.session.commit()
    report = audit.verify_chain()
    assert (report.broken_at, report.reason) == (1, "its content does not match its hash")


def test_behind_a_trusted_proxy_the_forwarded_client_is_recorded(proxied_app, admin_user):
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    forwarded = {"X-Forwarded-For": "198.51.100.23"}
    log_in_from(proxied_app.test_client(), admin_user.email, environ_base=proxy, headers=forwarded)
    assert addresses() == [("user.login", "198.51.100.23")]


def test_without_a_trusted_proxy_a_forwarded_header_is_ignored(client, admin_user):
    log_in_from(client, admin_user.email, environ_base={"REMOTE_ADDR": "10.0.0.2"},
           headers={"X-Forwarded-For": "198.51.100.23"})
    assert addresses() == [("user.login", "10.0.0.2")]


def test_the_audit_pages_show_and_filter_by_the_address(client, admin_user):
    log_in_from(client, admin_user.email, "wrong password!", environ_base=RESIDENT)
    log_in_from(client, admin_user.email, environ_base={"REMOTE_ADDR": "192.0.2.9"})
    with audit.acting_as("cli:test"):
        stations.create_station(stations.StationDetails(code="A", name="Alpha"))
    page = client.get("/admin/audit").get_data(as_text=True)
    assert '<td>203.0.113.7</td>' in page
    assert '<td>192.0.2.9</td>' in page
    filtered = client.get("/admin/audit?client_address=203.0.113.").get_data(as_text=True)
    assert "user.login_failed" in filtered
    assert "192.0.2.9" not in filtered
    detail = client.get("/admin/audit/1").get_data(as_text=True)
    assert '<dt class="col-sm-3">From</dt><dd class="col-sm-9">203.0.113.7</dd>' in detail
    assert "HMAC-SHA-256 with the audit key" in detail
    command = client.get("/admin/audit/3").get_data(as_text=True)
    assert "no web request (command or scheduler)" in command


def test_a_malformed_address_filter_is_explained_beside_the_field(client, admin_user):
    log_in_from(client, admin_user.email)
    response = client.get("/admin/audit?client_address=1%25")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert 'aria-invalid="true"' in body
    assert "Give the start of an IPv4 or IPv6 address" in body
    assert "user.login" in body  # the list is shown unfiltered


def test_an_anonymous_survey_submission_writes_no_audit_event(client, station):
    survey = template_survey(station)
    ids = {question.code: question.id for question in survey.questions}
    events_before = db.session.scalar(select(func.count()).select_from(AuditEvent))
    token = csrf_token(client, f"/s/{survey.slug}")
    response = client.post(f"/s/{survey.slug}", environ_base=RESIDENT, data={
        "csrf_token": token, "lang": "en", f"q{ids['feel_safe']}": "2",
        f"q{ids['police_respect']}": "4", f"q{ids['police_listen']}": "3",
        f"q{ids['trust_overall']}": "6"})
    assert response.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(AuditEvent)) == events_before
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.client_address == RESIDENT["REMOTE_ADDR"])) == 0


def test_the_audit_page_shows_the_last_verification(client, admin_user, verify):
    log_in_from(client, admin_user.email)
    assert "Not verified yet" in client.get("/admin/audit").get_data(as_text=True)
    assert verify().exit_code == 0
    page = client.get("/admin/audit").get_data(as_text=True)
    assert "The chain held on " in page
    assert "with 1 event (" in page
