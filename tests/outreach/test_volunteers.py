"""Volunteers stay inside their station's fence; department-wide ones belong to department roles."""

from __future__ import annotations

from datetime import date

import pytest

from cpp_app.audit.services import acting_as
from cpp_app.extensions import db
from cpp_app.meetings import services as meetings
from cpp_app.outreach.models import Volunteer
from tests import factories
from tests.factories.outreach import make_volunteer
from tests.helpers import post_form


@pytest.fixture
def two_stations():
    """Station A and station B, each with a Korean-speaking volunteer, and one for everyone."""
    station_a = factories.make_station("STA", "Station A")
    station_b = factories.make_station("STB", "Station B")
    return {
        "a": station_a, "b": station_b,
        "volunteer_a": make_volunteer(station_a, "Ana Alvarez", phone="405-555-0101"),
        "volunteer_b": make_volunteer(station_b, "Bo-ra Baek", phone="405-555-0202"),
        "everyone": make_volunteer(None, "Dana Department"),
    }


def volunteer_form(volunteer: Volunteer, **changes) -> dict:
    """The edit form's fields as the volunteer stands, with `changes` applied."""
    fields = {"name": volunteer.name, "station_id": str(volunteer.station_id or ""),
              "languages": ", ".join(volunteer.language_codes), "email": volunteer.email,
              "phone": volunteer.phone, "notes": volunteer.notes, "active": "y"}
    fields.update(changes)
    return {key: value for key, value in fields.items() if value is not None}


@pytest.mark.parametrize("role", ["commander", "staff"])
def test_station_bound_roles_see_their_own_and_department_wide_volunteers(
        client, login, two_stations, role):
    login(factories.make_user(role, station=two_stations["a"]))
    page = client.get("/language-access").get_data(as_text=True)
    assert "Ana Alvarez" in page
    assert "Dana Department" in page
    assert "Bo-ra Baek" not in page
    speakers = client.get("/language-access?language=Korean").get_data(as_text=True)
    assert "Ana Alvarez" in speakers
    assert "Bo-ra Baek" not in speakers


@pytest.mark.usefixtures("two_stations")
def test_department_wide_roles_see_every_stations_volunteers(client, login):
    login(factories.make_user("viewer"))
    page = client.get("/language-access").get_data(as_text=True)
    assert all(name in page for name in ("Ana Alvarez", "Bo-ra Baek", "Dana Department"))


def test_meeting_suggestions_leave_out_another_stations_volunteers(client, login, two_stations):
    with acting_as("test"):
        meeting = meetings.save_meeting(meetings.MeetingDetails(
            station_id=two_stations["a"].id, held_on=date(2026, 11, 10),
            title="Korean church forum", kind="faith_based",
            languages=[meetings.LanguageNeed("ko", "requested_not_provided")]))
    login(factories.make_user("staff", station=two_stations["a"]))
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert "Ana Alvarez" in page
    assert "Bo-ra Baek" not in page


@pytest.mark.parametrize("role", ["commander", "staff"])
def test_station_bound_roles_cannot_open_or_change_another_stations_volunteer(
        client, login, two_stations, role):
    login(factories.make_user(role, station=two_stations["a"]))
    theirs = two_stations["volunteer_b"]
    url = f"/language-access/volunteers/{theirs.id}"
    assert client.get(url).status_code == 403
    response = post_form(client, url, volunteer_form(theirs, name="Renamed"),
                         form_page="/language-access/volunteers/new")
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(Volunteer, theirs.id).name == "Bo-ra Baek"


@pytest.mark.parametrize("role", ["commander", "staff"])
def test_station_bound_roles_cannot_move_a_volunteer_off_their_station(
        client, login, two_stations, role):
    login(factories.make_user(role, station=two_stations["a"]))
    mine = two_stations["volunteer_a"]
    url = f"/language-access/volunteers/{mine.id}"
    for elsewhere in (str(two_stations["b"].id), ""):
        response = post_form(client, url, volunteer_form(mine, station_id=elsewhere))
        assert response.status_code == 200
        assert "Not a valid choice" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Volunteer, mine.id).station_id == two_stations["a"].id


@pytest.mark.parametrize("role", ["commander", "staff"])
def test_the_form_offers_station_bound_roles_only_their_station(client, login, two_stations,
                                                                 role):
    login(factories.make_user(role, station=two_stations["a"]))
    form = client.get("/language-access/volunteers/new").get_data(as_text=True)
    assert "Station A" in form
    assert "Station B" not in form
    assert "Department-wide" not in form
    response = post_form(client, "/language-access/volunteers/new", {
        "name": "New Helper", "station_id": str(two_stations["a"].id), "languages": "Korean"})
    assert response.status_code == 302
    assert db.session.scalar(db.select(Volunteer.station_id).where(
        Volunteer.name == "New Helper")) == two_stations["a"].id


@pytest.mark.parametrize("role", ["commander", "staff"])
def test_department_wide_volunteers_are_changed_only_by_department_wide_roles(
        client, login, two_stations, role):
    everyone = two_stations["everyone"]
    url = f"/language-access/volunteers/{everyone.id}"
    login(factories.make_user(role, station=two_stations["a"]))
    assert client.get(url).status_code == 403
    page = client.get("/language-access").get_data(as_text=True)
    assert f'href="{url}"' not in page
    assert f'href="/language-access/volunteers/{two_stations["volunteer_a"].id}"' in page


def test_an_administrator_moves_a_volunteer_between_stations(client, login, two_stations):
    login(factories.make_user("admin"))
    volunteer = two_stations["everyone"]
    response = post_form(client, f"/language-access/volunteers/{volunteer.id}",
                         volunteer_form(volunteer, station_id=str(two_stations["b"].id)))
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Volunteer, volunteer.id).station_id == two_stations["b"].id


def test_an_edit_posted_without_its_languages_is_an_error_beside_the_field(
        client, login, two_stations):
    login(factories.make_user("staff", station=two_stations["a"]))
    mine = two_stations["volunteer_a"]
    response = post_form(client, f"/language-access/volunteers/{mine.id}",
                         volunteer_form(mine, languages=None, name="Ana Renamed"))
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "Give at least one language the volunteer speaks." in body
    assert 'value="Ana Renamed"' in body
    db.session.expire_all()
    assert db.session.get(Volunteer, mine.id).language_codes == ["ko"]


def test_the_language_searched_for_does_not_become_the_pages_language(client, login):
    login(factories.make_user("viewer"))
    assert '<html lang="en"' in client.get("/language-access").get_data(as_text=True)
    korean = client.get("/language-access?language=Korean").get_data(as_text=True)
    assert '<html lang="en"' in korean
    assert "Korean speakers" in korean
