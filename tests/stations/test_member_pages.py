"""Members: create, edit, filters, station scoping and the checks on bad input."""

from __future__ import annotations

from sqlalchemy import select

from cpp_app.audit.models import AuditEvent
from cpp_app.extensions import db
from cpp_app.stations.models import Member
from tests import factories
from tests.helpers import post_form


def member_form(station, **overrides) -> dict:
    """The member form filled in for the station, with any fields overridden."""
    data = {
        "shield_number": "01234", "first_name": "Ana", "last_name": "Reyes",
        "station_id": str(station.id), "employment_type": "sworn", "assigned_to_patrol": "y",
        "languages": ["es", "tl"], "start_date": "2024-03-01", "active": "y",
    }
    data.update(overrides)
    return data


def test_admin_adds_a_member_with_languages(admin_client, station):
    response = post_form(admin_client, "/members/new", member_form(station))
    assert response.status_code == 302
    member = db.session.scalar(select(Member).where(Member.shield_number == "01234"))
    assert member.station_id == station.id
    assert member.language_codes == ["es", "tl"]
    assert member.assigned_to_patrol
    assert member.active
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "member.create"))
    assert event.after["languages"] == ["es", "tl"]


def test_duplicate_shield_number_is_refused_and_input_kept(admin_client, station):
    factories.make_member(station, shield="01234", first_name="Existing", last_name="Person")
    response = post_form(admin_client, "/members/new", member_form(station, first_name="Newbie"))
    body = response.get_data(as_text=True)
    assert "already belongs to Existing Person" in body
    assert 'value="Newbie"' in body
    assert db.session.scalar(select(Member).where(Member.first_name == "Newbie")) is None


def test_bad_start_date_is_refused(admin_client, station):
    response = post_form(admin_client, "/members/new", member_form(station, start_date="31/31"))
    assert response.status_code == 200
    assert "Not a valid date value" in response.get_data(as_text=True)


def test_editing_a_member_records_before_and_after(admin_client, station):
    member = factories.make_member(station, shield="777", languages=["ko"])
    response = post_form(admin_client, f"/members/{member.id}/edit", member_form(
        station, shield_number="777", first_name="Min", last_name="Park", languages=["ko", "es"],
        active="",
    ))
    assert response.status_code == 302
    db.session.refresh(member)
    assert member.full_name == "Min Park"
    assert not member.active
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "member.update"))
    assert event.before["active"] is True
    assert event.after["active"] is False
    assert event.before["languages"] == ["ko"]
    assert event.after["languages"] == ["es", "ko"]


def test_member_list_filters(admin_client, station):
    other = factories.make_station("EST", "East")
    factories.make_member(station, first_name="Korean", last_name="Speaker", languages=["ko"])
    factories.make_member(other, first_name="Desk", last_name="Clerk",
                          employment_type="professional", assigned_to_patrol=False)
    factories.make_member(station, first_name="Gone", last_name="Away", active=False)

    def names(query: str) -> str:
        return admin_client.get(f"/members?{query}").get_data(as_text=True)

    assert "Speaker" in names("language=ko")
    assert "Clerk" not in names("language=ko")
    assert "Clerk" in names(f"station={other.id}")
    assert "Speaker" not in names(f"station={other.id}")
    assert "Clerk" in names("type=professional")
    assert "Speaker" not in names("type=professional")
    assert "Clerk" in names("patrol=no")
    assert "Speaker" not in names("patrol=no")
    assert "Away" in names("status=inactive")
    assert "Speaker" not in names("status=inactive")
    everyone_active = names("")
    assert "Speaker" in everyone_active
    assert "Clerk" in everyone_active
    assert "Away" not in everyone_active
    assert "Speaker" in names("q=speak")
    assert "Clerk" not in names("q=speak")


def test_member_list_paginates(admin_client, station):
    for _ in range(27):
        factories.make_member(station)
    body = admin_client.get("/members").get_data(as_text=True)
    assert "Showing 1–25 of 27" in body
    assert "Showing 26–27 of 27" in admin_client.get("/members?page=2").get_data(as_text=True)


def test_commander_sees_only_their_station_members(client, login, station):
    other = factories.make_station("EST", "East")
    factories.make_member(station, last_name="Ownstation")
    foreign = factories.make_member(other, last_name="Otherstation")
    commander = factories.make_user("commander", station=station)
    login(commander)
    body = client.get("/members").get_data(as_text=True)
    assert "Ownstation" in body
    assert "Otherstation" not in body
    asked_for_other = client.get(f"/members?station={other.id}")
    assert asked_for_other.status_code == 200
    assert "No members match these filters." in asked_for_other.get_data(as_text=True)
    assert "Otherstation" not in asked_for_other.get_data(as_text=True)
    assert client.get(f"/members/{foreign.id}").status_code == 403


def test_staff_cannot_edit_members(client, login, station):
    member = factories.make_member(station)
    login(factories.make_user("staff", station=station))
    assert client.get(f"/members/{member.id}/edit").status_code == 403
    response = post_form(client, "/members", {}, form_page="/members")
    assert response.status_code == 405
