"""The audit pages speak people's words: kinds of record by name, and no "None" for a blank."""

from __future__ import annotations

from sqlalchemy import select

from cpp_app.audit import services as audit
from cpp_app.audit.labels import ENTITY_LABELS, entity_label, shown_value
from cpp_app.audit.models import AuditEvent
from cpp_app.extensions import db
from cpp_app.stations import services as stations


def test_every_table_has_a_label_for_the_audit_log():
    tables = set(db.metadata.tables)
    assert tables - set(ENTITY_LABELS) == set()
    assert entity_label("plan_update_sharing") == "Update sharing"
    assert entity_label("system") == "System"
    assert entity_label("some_new_table") == "Some new table"


def test_values_are_shown_as_text_with_a_dash_for_none():
    assert shown_value(None) == "—"
    assert shown_value(True) == "Yes"
    assert shown_value(["es", "vi"]) == "es, vi"
    assert shown_value([]) == "—"
    assert shown_value({"b": 1, "a": "é"}) == '{"a": "é", "b": 1}'
    assert shown_value(0) == "0"


def test_the_list_and_an_event_show_labels_and_no_none(admin_client):
    with audit.acting_as("test"):
        station = stations.create_station(stations.StationDetails(code="A", name="Alpha"))
        stations.create_member(stations.MemberDetails(
            shield_number="1", first_name="Jo", last_name="Doe", station_id=station.id))
    listing = admin_client.get("/admin/audit").get_data(as_text=True)
    assert "<td>Station 1</td>" in listing
    assert "<td>Member 1</td>" in listing
    assert "<td>stations 1</td>" not in listing
    assert '<option value="members">Member</option>' in listing
    assert "None" not in listing
    created = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "member.create"))
    assert None in created.after.values()
    detail = admin_client.get(f"/admin/audit/{created.sequence}").get_data(as_text=True)
    assert '<dd class="col-sm-9">Member 1</dd>' in detail
    assert "None" not in detail
    assert "<td>—</td>" in detail
