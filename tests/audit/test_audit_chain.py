"""The audit log: every service change is recorded, chained, browsable and verifiable."""

from __future__ import annotations

import re

from sqlalchemy import select, update

from cpp_app.audit import services as audit
from cpp_app.audit.models import AuditEvent
from cpp_app.extensions import db
from cpp_app.stations import services as stations
from tests import factories
from tests.helpers import log_in


def make_some_history() -> None:
    """Three audited changes: a station created and renamed, and a member added."""
    with audit.acting_as("test"):
        station = stations.create_station(stations.StationDetails(code="A", name="Alpha"))
        stations.update_station(station, stations.StationDetails(code="A", name="Alpha Two"))
        stations.create_member(stations.MemberDetails(
            shield_number="1", first_name="Jo", last_name="Doe", station_id=station.id))


def test_events_chain_each_to_the_previous():
    make_some_history()
    events = list(db.session.scalars(select(AuditEvent).order_by(AuditEvent.sequence)))
    assert [event.sequence for event in events] == [1, 2, 3]
    assert events[0].previous_hash == audit.GENESIS_HASH
    assert events[1].previous_hash == events[0].event_hash
    assert events[1].before["name"] == "Alpha"
    assert events[1].after["name"] == "Alpha Two"
    assert events[1].changed_fields == ["name"]
    assert audit.verify_chain().intact


def test_tampering_with_content_is_detected_at_that_event():
    make_some_history()
    db.session.execute(
        update(AuditEvent.__table__).where(AuditEvent.__table__.c.sequence == 2)
        .values(summary="nothing to see")
    )
    db.session.commit()
    report = audit.verify_chain()
    assert not report.intact
    assert report.broken_at == 2
    assert report.checked == 1


def test_removing_an_event_is_detected():
    make_some_history()
    db.session.execute(AuditEvent.__table__.delete().where(AuditEvent.__table__.c.sequence == 2))
    db.session.commit()
    report = audit.verify_chain()
    assert report.broken_at == 2
    assert "missing" in report.reason


def test_orm_refuses_to_change_or_delete_events():
    make_some_history()
    event = db.session.scalar(select(AuditEvent))
    event.summary = "edited"
    try:
        db.session.commit()
    except PermissionError:
        db.session.rollback()
    else:  # pragma: no cover - the guard failed
        raise AssertionError("an audit event was updated")
    db.session.delete(db.session.scalar(select(AuditEvent)))
    try:
        db.session.flush()
    except PermissionError:
        db.session.rollback()
    else:  # pragma: no cover
        raise AssertionError("an audit event was deleted")


def test_admin_browses_and_filters_the_log(admin_client):
    make_some_history()
    body = admin_client.get("/admin/audit").get_data(as_text=True)
    assert "station.create" in body
    assert "member.create" in body
    filtered = admin_client.get("/admin/audit?action=member.").get_data(as_text=True)
    assert "member.create" in filtered
    assert "station.update" not in filtered
    by_type = admin_client.get("/admin/audit?entity=stations").get_data(as_text=True)
    assert "station.update" in by_type
    assert "member.create" not in by_type
    update_event = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "station.update"))
    detail = admin_client.get(f"/admin/audit/{update_event.sequence}").get_data(as_text=True)
    assert f"<h1>Audit event {update_event.sequence}</h1>" in detail
    assert re.search(r'<th scope="row">name <span[^>]*>changed</span></th>\s*'
                     r"<td>Alpha</td>\s*<td>Alpha Two</td>", detail)


def test_logins_and_failed_logins_are_recorded(client, admin_user):
    log_in(client, admin_user.email, "wrong password!")
    log_in(client, admin_user.email)
    actions = list(db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.sequence)))
    assert actions == ["user.login_failed", "user.login"]


def test_audit_log_is_for_admins_only(client, login):
    login(factories.make_user("viewer"))
    assert client.get("/admin/audit").status_code == 403
