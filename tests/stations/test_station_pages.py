"""Stations: create, edit, list with search and pagination, and the checks on bad input."""

from __future__ import annotations

from sqlalchemy import select

from cpp_app.audit.models import AuditEvent
from cpp_app.extensions import db
from cpp_app.stations.models import Station
from tests import factories
from tests.helpers import post_form


def test_admin_creates_a_station_and_it_is_audited(admin_client):
    response = post_form(admin_client, "/manage/stations/new", {
        "code": "nth", "name": "North Station", "area_served": "Northgate",
    })
    assert response.status_code == 302
    station = db.session.scalar(select(Station).where(Station.code == "NTH"))
    assert station is not None
    assert station.name == "North Station"
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "station.create"))
    assert event.after["code"] == "NTH"
    assert event.actor_label.startswith("admin")


def test_duplicate_station_code_is_refused_beside_the_field_and_input_kept(admin_client):
    factories.make_station("NTH", "North")
    response = post_form(admin_client, "/manage/stations/new", {"code": "NTH", "name": "Another"})
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "already used by North" in body
    assert 'value="Another"' in body
    assert db.session.scalar(select(Station).where(Station.name == "Another")) is None


def test_station_code_with_spaces_is_refused(admin_client):
    response = post_form(admin_client, "/manage/stations/new", {"code": "a b", "name": "X"})
    assert response.status_code == 200
    assert "letters, digits, dashes or underscores" in response.get_data(as_text=True)
    assert db.session.scalar(select(Station)) is None


def test_edit_station_sets_commander_by_shield_number(admin_client, station):
    commander = factories.make_member(station, shield="0042")
    response = post_form(admin_client, f"/manage/stations/{station.id}/edit", {
        "code": station.code, "name": "Central", "area_served": "Downtown",
        "commander_shield": "0042",
    })
    assert response.status_code == 302
    db.session.refresh(station)
    assert station.commander_member_id == commander.id
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "station.update"))
    assert event.before["commander_member_id"] is None
    assert event.after["commander_member_id"] == commander.id


def test_unknown_commander_shield_is_reported(admin_client, station):
    response = post_form(admin_client, f"/manage/stations/{station.id}/edit", {
        "code": station.code, "name": "Renamed", "commander_shield": "nope",
    })
    assert "No member has shield number nope" in response.get_data(as_text=True)
    db.session.refresh(station)
    assert (station.name, station.commander_member_id) == ("Central Station", None)


def test_station_list_searches_and_paginates(admin_client):
    for number in range(30):
        factories.make_station(f"ST{number:02d}", f"Station {number:02d}")
    factories.make_station("RIV", "Riverside")
    first_page = admin_client.get("/manage/stations").get_data(as_text=True)
    assert "Showing 1–25 of 31" in first_page
    assert 'aria-label="Station list pages"' in first_page
    second_page = admin_client.get("/manage/stations?page=2").get_data(as_text=True)
    assert "Showing 26–31 of 31" in second_page
    searched = admin_client.get("/manage/stations?q=river").get_data(as_text=True)
    assert "Riverside" in searched
    assert "Station 05" not in searched


def test_empty_station_list_offers_to_add_one(admin_client):
    body = admin_client.get("/manage/stations").get_data(as_text=True)
    assert "No stations yet." in body
    assert "Add a station" in body
