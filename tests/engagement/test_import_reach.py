"""Station-scoped engagement imports, and what every import says about the rows it left unlinked."""

from __future__ import annotations

import contextvars
import io

import pytest
from sqlalchemy import select

from cpp_app.api import services as api_services
from cpp_app.audit.services import acting_as
from cpp_app.engagement import services
from cpp_app.engagement.models import EngagementRecord
from cpp_app.extensions import db
from cpp_app.importing.models import ImportBatch
from tests import factories
from tests.helpers import TEST_DATA, csrf_token, post_form

HEADER = "Date,Time,CallType,ShieldNumber,Location\n"
NORMAN = TEST_DATA / "norman_pd_COP_rows_2024-03-01_02.csv"
OTHER_STATIONS_ROW = "2024-03-01,10:00,COP Activity,2002,1 OAK ST\n"
RULED_ROW = "2024-03-01,11:00,COP Activity,,400 HARBOUR RD\n"


@pytest.fixture
def department():
    """Two stations with a member each, and a location rule giving Harbour Rd to the second."""
    own, other = factories.make_station("CEN"), factories.make_station("NTH")
    factories.make_member(own, shield="1001")
    factories.make_member(other, shield="2002")
    with acting_as("test"):
        services.save_location_rule("HARBOUR RD", other.id)
    return own, other


def mixed_file() -> bytes:
    """Rows of the own station's member, of no member, of another station's, and ruled away."""
    return (HEADER + "2024-03-01,09:00,COP Relationships,1001,100 MAIN ST\n"
            "2024-03-01,09:30,COP Problem Solving,,200 ELM ST\n"
            + OTHER_STATIONS_ROW + RULED_ROW).encode()


def records_by_location() -> dict[str, tuple[int | None, int | None]]:
    """Stored records: location -> (station id, member id)."""
    return {location: (station_id, member_id) for location, station_id, member_id in
            db.session.execute(select(EngagementRecord.location, EngagementRecord.station_id,
                                      EngagementRecord.member_id))}


@pytest.mark.parametrize("role", ["commander", "staff"])
def test_station_staff_import_their_own_stations_file_and_nothing_else(client, login,
                                                                       department, role):
    own, _other = department
    login(factories.make_user(role, station=own))
    response = post_form(client, "/engagement/import", {
        "file": (io.BytesIO(mixed_file()), "cen-q1.csv")}, content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page[-800:]
    assert "Read 4, inserted 2, already present 0, rejected 2." in page
    assert ("shield number 2002 is a member of another station: station NTH is outside your "
            "reach (you may import only for CEN)") in page
    assert ("the location matches a rule for another station: station NTH is outside your "
            "reach (you may import only for CEN)") in page
    stored = records_by_location()
    assert set(stored) == {"100 MAIN ST", "200 ELM ST"}
    assert stored["200 ELM ST"] == (own.id, None)  # no member: the importer's own station
    assert stored["100 MAIN ST"][0] == own.id
    batch_id = db.session.scalar(select(ImportBatch.id))
    rejects = client.get(f"/imports/{batch_id}/rejects.csv")
    assert rejects.status_code == 200
    assert "2024-03-01,10:00:00,COP Activity,2002,1 OAK ST" in rejects.get_data(as_text=True)
    client.post("/logout", data={"csrf_token": csrf_token(client, "/engagement/import")})
    login(factories.make_user(role, station=_other))  # another station's: not their batch
    assert client.get(f"/imports/{batch_id}/rejects.csv").status_code == 403
    assert client.get(f"/imports/{batch_id}").status_code == 403


def test_an_administrator_imports_every_stations_rows(client, login, department):
    _own, other = department
    login(factories.make_user("admin"))
    page = post_form(client, "/engagement/import", {
        "file": (io.BytesIO(mixed_file()), "all-q1.csv")},
        content_type="multipart/form-data").get_data(as_text=True)
    assert "Read 4, inserted 4, already present 0, rejected 0." in page
    assert ("2 of the 4 accepted rows match no member (their shield numbers are blank or "
            "unknown); 1 of the 4 accepted rows have no station") in page
    stored = records_by_location()
    assert stored["1 OAK ST"][0] == stored["400 HARBOUR RD"][0] == other.id
    assert stored["200 ELM ST"] == (None, None)


def test_a_station_bound_token_pushes_only_its_stations_records(client, department):
    own, _other = department
    with acting_as("test"):
        _, secret = api_services.create_token(factories.make_user("commander", station=own),
                                              "RMS", ["engagement:write"])
    records = [{"date": "2024-03-01", "call_type": "COP Activity", "shield_number": "1001",
                "location": "100 MAIN ST"},
               {"date": "2024-03-01", "call_type": "COP Activity", "shield_number": "2002",
                "location": "1 OAK ST"}]
    response = client.post("/api/v1/engagement-records", json={"records": records},
                           headers={"Authorization": f"Bearer {secret}"})
    body = response.get_json()
    assert response.status_code == 201, body
    assert (body["inserted"], [r["index"] for r in body["rejected"]]) == (1, [1])
    assert "station NTH is outside your reach" in body["rejected"][0]["reason"]
    assert set(records_by_location()) == {"100 MAIN ST"}


def test_the_norman_file_says_its_records_have_no_member_and_no_station(app, client, login):
    factories.make_station("CEN")
    runner = app.test_cli_runner()
    result = contextvars.copy_context().run(
        runner.invoke, args=["cpp", "import", "engagements", str(NORMAN)])
    assert result.exit_code == 0, result.output
    assert "read 5, inserted 5, already present 0, rejected 0." in result.stdout
    said = ("5 of the 5 accepted rows match no member (the file has no ShieldNumber column); "
            "5 of the 5 accepted rows have no station")
    assert said in result.stdout
    assert said in db.session.scalar(select(ImportBatch.message))
    login(factories.make_user("admin"))
    page = post_form(client, "/engagement/import", {
        "file": (io.BytesIO(NORMAN.read_bytes()), NORMAN.name), "dry_run": "y"},
        content_type="multipart/form-data").get_data(as_text=True)
    assert "Read 5, inserted 0, already present 5, rejected 0." in page
    assert said in page
