"""A commander's stakeholder import writes only to their own station; other rows are rejected."""

from __future__ import annotations

from io import BytesIO

import pytest
from sqlalchemy import select

from cpp_app.audit.services import acting_as
from cpp_app.extensions import db
from cpp_app.importing.services import ImportNotAllowedError, run_import_file
from cpp_app.outreach import services
from cpp_app.outreach.models import Stakeholder
from tests import factories
from tests.helpers import post_form


def directory(own: str, other: str) -> bytes:
    """A directory with a row for each station, the other station's row deactivating."""
    return (
        "Station,Organisation,Kind,Contact name,Email,Active\n"
        f"{own},Grace Church,Church,Pastor Ann,ann@example.org,yes\n"
        f"{other},Elm Street Mosque,Mosque,Intruder,intruder@example.org,no\n"
        f"{other},Harbour Chamber,Chamber of commerce,,,yes\n"
    ).encode()


@pytest.fixture
def stations():
    """Two stations, the second with a stakeholder of its own."""
    own, other = factories.make_station("CEN"), factories.make_station("NTH")
    with acting_as("test"):
        services.save_stakeholder(services.StakeholderDetails(
            station_id=other.id, name="Elm Street Mosque", kind="mosque", active=True))
    return own, other


def stakeholders() -> dict[str, Stakeholder]:
    """Every stakeholder by name."""
    return {s.name: s for s in db.session.scalars(select(Stakeholder))}


def test_a_commanders_upload_refuses_another_stations_rows(client, login, stations):
    own, other = stations
    login(factories.make_user("commander", station=own))
    response = post_form(client, "/stakeholders/import", {
        "file": (BytesIO(directory("CEN", "NTH")), "directory.csv")},
        content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Read 3 rows: 1 added, 0 updated, 0 unchanged, 2 rejected." in page
    assert page.count("station NTH is outside your reach (you may import only for CEN)") == 2
    known = stakeholders()
    assert set(known) == {"Grace Church", "Elm Street Mosque"}
    assert known["Grace Church"].station_id == own.id
    mosque = known["Elm Street Mosque"]
    assert (mosque.station_id, mosque.active, mosque.contacts) == (other.id, True, [])


def test_an_administrators_upload_reaches_every_station(client, login, stations):
    _own, other = stations
    login(factories.make_user("admin"))
    page = post_form(client, "/stakeholders/import", {
        "file": (BytesIO(directory("CEN", "NTH")), "directory.csv")},
        content_type="multipart/form-data").get_data(as_text=True)
    assert "Read 3 rows: 2 added, 1 updated, 0 unchanged, 0 rejected." in page
    mosque = stakeholders()["Elm Street Mosque"]
    assert (mosque.station_id, mosque.active) == (other.id, False)
    assert [c.name for c in mosque.contacts] == ["Intruder"]


def test_a_station_bound_user_cannot_run_a_department_wide_import(tmp_path, stations):
    own, _other = stations
    roster = tmp_path / "roster.csv"
    roster.write_text("Shield,First name,Last name,Station\n100,Ann,Lee,NTH\n")
    commander = factories.make_user("commander", station=own)
    with pytest.raises(ImportNotAllowedError, match="You may not import members"):
        run_import_file("members", roster, actor=commander)
    staff = factories.make_user("staff", station=own)
    with pytest.raises(ImportNotAllowedError, match="You may not import stakeholders"):
        run_import_file("stakeholders", roster, actor=staff)
