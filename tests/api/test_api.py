"""API v1: tokens with scopes, JSON errors, pushing and listing records, the OpenAPI document."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from cpp_app.api import services
from cpp_app.api.models import ApiToken
from cpp_app.audit.models import AuditEvent
from cpp_app.audit.services import acting_as
from cpp_app.extensions import db
from cpp_app.importing.models import ImportBatch
from tests import factories
from tests.helpers import post_form

RECORDS = [
    {"date": "1/3/2017", "time": "1:05 PM", "call_type": "cop relationships",
     "shield_number": "1001", "location": "100 MAIN ST"},
    {"date": "2017-01-03", "time": "13:05", "call_type": "COP Relationships",
     "shield_number": "1001", "location": "100 MAIN ST"},
    {"date": "someday", "call_type": "COP Activity"},
    {"date": "2017-01-04", "call_type": "COP DDACTS", "location": "1 PLAZA"},
]


def token_for(user, scopes):
    """A new API token for the user with these scopes; returns (token, secret)."""
    with acting_as("test"):
        return services.create_token(user, "RMS", scopes)


def bearer(secret: str) -> dict:
    """The Authorization header carrying a token's secret."""
    return {"Authorization": f"Bearer {secret}"}


@pytest.mark.usefixtures("station")
def test_tokens_are_hashed_scoped_and_revocable(client):
    admin = factories.make_user("admin")
    token, secret = token_for(admin, ["engagement:read"])
    assert token.token_hash != secret
    assert secret.startswith("cpp_")
    assert client.get("/api/v1/engagement-records", headers=bearer(secret)).status_code == 200
    refused = client.post("/api/v1/engagement-records", json={"records": RECORDS},
                          headers=bearer(secret))
    assert refused.status_code == 403
    assert refused.get_json()["error"]["message"] == "The token lacks the 'engagement:write' scope."
    with acting_as("test"):
        services.revoke_token(token)
    revoked = client.get("/api/v1/engagement-records", headers=bearer(secret))
    assert revoked.status_code == 401
    assert "revoked" in revoked.get_json()["error"]["message"]
    missing = client.get("/api/v1/engagement-records")
    assert missing.status_code == 401
    assert "Bearer" in missing.get_json()["error"]["message"]
    wrong = client.get("/api/v1/engagement-records", headers=bearer("cpp_nope"))
    assert wrong.status_code == 401


def test_roles_cannot_grant_scopes_beyond_their_reach():
    viewer = factories.make_user("viewer")
    with pytest.raises(services.ApiError) as refused:
        token_for(viewer, ["engagement:write"])
    assert refused.value.status == 403


def test_push_stores_new_records_and_reports_the_rest(client, station):
    factories.make_member(station, shield="1001")
    _, secret = token_for(factories.make_user("admin"), ["engagement:write",
                                                          "engagement:read"])
    response = client.post("/api/v1/engagement-records", json={"records": RECORDS},
                           headers=bearer(secret))
    body = response.get_json()
    assert response.status_code == 201
    assert (body["received"], body["inserted"], body["already_present"]) == (4, 3, 0)
    assert body["rejected"] == [{"index": 2, "reason": "date 'someday' is not a date"}]
    assert body["unknown_call_types"] == {"COP DDACTS": 1}
    again = client.post("/api/v1/engagement-records", json={"records": RECORDS},
                        headers=bearer(secret)).get_json()
    assert (again["inserted"], again["already_present"]) == (0, 3)
    listing = client.get("/api/v1/engagement-records?per_page=2&call_type=COP Relationships",
                         headers=bearer(secret)).get_json()
    assert listing["total"] == 2
    assert len(listing["items"]) == 2
    assert listing["items"][0]["station_code"] == station.code
    assert listing["items"][0]["member_linked"] is True


@pytest.mark.usefixtures("station")
def test_each_push_is_recorded_as_an_import_batch_with_its_rejects(client):
    admin = factories.make_user("admin")
    _, secret = token_for(admin, ["engagement:write"])
    body = client.post("/api/v1/engagement-records", json={"records": RECORDS},
                       headers=bearer(secret)).get_json()
    batch = db.session.get(ImportBatch, body["batch_id"])
    assert (batch.kind, batch.filename, batch.status, batch.dry_run) == (
        "engagements", "API push", "completed", False)
    assert (batch.user_id, batch.actor_label) == (admin.id, admin.email)
    assert (batch.rows_read, batch.rows_inserted, batch.rows_unchanged,
            batch.rows_rejected) == (4, 3, 0, 1)
    assert [(r.line_number, r.reason) for r in batch.rejects] == [
        (2, "date 'someday' is not a date")]
    assert body["rejected"] == [{"index": 2, "reason": "date 'someday' is not a date"}]
    assert batch.rejects[0].values["date"] == "someday"
    assert "Call types kept as given: COP DDACTS (1)" in batch.message
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "import.engagements"))
    assert event.entity_id == str(batch.id)
    assert event.actor_label == f"api:{admin.email}"

    only_rejects = client.post("/api/v1/engagement-records", headers=bearer(secret), json={
        "records": [{"date": "soon", "call_type": "COP Activity"},
                    {"date": "later", "call_type": "COP Activity"}]})
    assert only_rejects.status_code == 200
    second = db.session.get(ImportBatch, only_rejects.get_json()["batch_id"])
    assert (second.rows_read, second.rows_rejected) == (2, 2)


def test_a_push_links_records_stored_before_their_member_existed(client, station):
    _, secret = token_for(factories.make_user("admin"), ["engagement:write",
                                                          "engagement:read"])
    client.post("/api/v1/engagement-records", headers=bearer(secret), json={"records": [
        {"date": "2017-01-03", "call_type": "COP Activity", "shield_number": "7777"}]})
    factories.make_member(station, shield="7777")
    client.post("/api/v1/engagement-records", headers=bearer(secret), json={"records": [
        {"date": "2017-01-04", "call_type": "COP Activity", "shield_number": "1"}]})
    items = client.get("/api/v1/engagement-records", headers=bearer(secret)).get_json()["items"]
    linked = {item["date"]: item["member_linked"] for item in items}
    assert linked == {"2017-01-03": True, "2017-01-04": False}


def test_bad_requests_get_json_messages(client):
    _, secret = token_for(factories.make_user("admin"), ["engagement:write",
                                                          "engagement:read"])
    assert client.post("/api/v1/engagement-records", data="x", headers=bearer(secret)) \
        .status_code == 415
    empty = client.post("/api/v1/engagement-records", json={"records": []},
                        headers=bearer(secret))
    assert empty.status_code == 422
    assert empty.get_json()["error"]["field"] == "records"
    page = client.get("/api/v1/engagement-records?page=0", headers=bearer(secret))
    assert page.status_code == 400
    assert "page" in page.get_json()["error"]["message"]
    assert client.get("/api/v1/nothing").get_json()["error"]["status"] == 404


def test_commander_tokens_see_only_their_station(client, station):
    other = factories.make_station("EST", "East")
    factories.make_member(station, shield="1001")
    factories.make_member(other, shield="2002")
    _, admin_secret = token_for(factories.make_user("admin"), ["engagement:write"])
    client.post("/api/v1/engagement-records", headers=bearer(admin_secret), json={"records": [
        {"date": "2017-01-03", "call_type": "COP Activity", "shield_number": "1001"},
        {"date": "2017-01-03", "call_type": "COP Activity", "shield_number": "2002"}]})
    _, secret = token_for(factories.make_user("commander", station=station),
                          ["engagement:read"])
    listing = client.get(f"/api/v1/engagement-records?station={other.id}",
                         headers=bearer(secret)).get_json()
    assert [item["station_code"] for item in listing["items"]] == [station.code]


def test_openapi_describes_every_endpoint(app, client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"].startswith("3.")
    documented = {(path, method.upper()) for path, operations in document["paths"].items()
                  for method in operations}
    routed = {(rule.rule.removeprefix("/api/v1"), method)
              for rule in app.url_map.iter_rules() if rule.endpoint.startswith("api.")
              and rule.endpoint != "api.openapi"
              for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert documented == routed
    parameters = {p["name"] for p in
                  document["paths"]["/engagement-records"]["get"]["parameters"]}
    assert parameters == {"page", "per_page", "station", "call_type", "from", "to"}
    record = document["components"]["schemas"]["Record"]["properties"]
    _, secret = token_for(factories.make_user("admin"), ["engagement:write",
                                                          "engagement:read"])
    client.post("/api/v1/engagement-records", json={"records": RECORDS[:1]},
                headers=bearer(secret))
    item = client.get("/api/v1/engagement-records", headers=bearer(secret)).get_json()["items"][0]
    assert set(item) == set(record)
    pushed = client.post("/api/v1/engagement-records", json={"records": RECORDS[:1]},
                         headers=bearer(secret)).get_json()
    assert set(pushed) == set(document["components"]["schemas"]["PushResult"]["properties"])


def test_token_page_shows_the_secret_once_and_revokes(client, login):
    user = factories.make_user("commander", station=factories.make_station("A1"))
    login(user)
    page = post_form(client, "/account/api-tokens", {"name": "CAD", "scopes": "engagement:read"})
    secret = re.search(r"<code class=\"fs-6 text-break\">(cpp_[^<]+)</code>",
                       page.get_data(as_text=True)).group(1)
    token = db.session.scalar(select(ApiToken))
    assert token.token_hash == services.hash_token(secret)
    assert secret not in client.get("/account/api-tokens").get_data(as_text=True)
    post_form(client, f"/account/api-tokens/{token.id}/revoke", {},
              form_page="/account/api-tokens")
    db.session.refresh(token)
    assert not token.active
