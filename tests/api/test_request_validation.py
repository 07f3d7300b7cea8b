"""The API holds requests to its documented schema: wrong types, unknown fields, sizes, depth."""

from __future__ import annotations

import json

import pytest

from cpp_app.engagement.models import EngagementRecord
from tests import factories
from tests.factories.api import bearer, make_api_token
from tests.helpers import row_count

URL = "/api/v1/engagement-records"
GOOD = {"date": "2017-01-03", "call_type": "COP Activity"}


@pytest.fixture
def headers(station) -> dict:  # noqa: ARG001 - records need a station to land in
    """An administrator's token with both scopes."""
    _, secret = make_api_token(factories.make_user("admin"),
                               ["engagement:read", "engagement:write"])
    return bearer(secret)


@pytest.mark.parametrize(("records", "field", "message"), [
    ([{**GOOD, "shield_number": {}}], "records[0].shield_number",
     "{} is not of type 'string', 'null'"),
    ([GOOD, {**GOOD, "colour": "blue"}], "records[1].colour", "unknown field"),
    ([{"call_type": "COP Activity"}], "records[0]", "'date' is a required property"),
    ([{**GOOD, "call_type": "x" * 81}], "records[0].call_type", "is too long"),
    ([{**GOOD, "location": "1 MAIN\x00ST"}], "records[0].location", "does not match"),
    (["not a record"], "records[0]", "'not a record' is not of type 'object'"),
    ([], "records", "should be non-empty"),
])
def test_a_body_breaking_the_schema_is_refused_whole_naming_the_field(client, headers, records,
                                                                      field, message):
    response = client.post(URL, json={"records": records}, headers=headers)
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["field"] == field
    assert error["message"].startswith(f"{field}: ")
    assert message in error["message"]
    assert row_count(EngagementRecord) == 0


def test_unknown_top_level_fields_and_other_shapes_are_refused(client, headers):
    extra = client.post(URL, json={"records": [GOOD], "dry_run": True}, headers=headers)
    assert (extra.status_code, extra.get_json()["error"]["field"]) == (422, "dry_run")
    for body in ([GOOD], "records", None, 3):
        response = client.post(URL, data=json.dumps(body), content_type="application/json",
                               headers=headers)
        assert response.status_code == 422
    assert row_count(EngagementRecord) == 0


def test_malformed_or_deeply_nested_json_gets_a_400(client, headers):
    broken = client.post(URL, data="{\"records\": [", content_type="application/json",
                         headers=headers)
    assert broken.status_code == 400
    assert broken.get_json()["error"]["message"].startswith("The body is not valid JSON")
    deep = {"records": [{**GOOD, "location": [[[[[[[[[[["x"]]]]]]]]]]]}]}
    nested = client.post(URL, json=deep, headers=headers)
    assert nested.status_code == 400
    assert nested.get_json()["error"]["message"] == "The JSON is nested deeper than 10 levels."
    very_deep = client.post(URL, data="[" * 100_000 + "]" * 100_000,
                            content_type="application/json", headers=headers)
    assert very_deep.status_code == 400


def test_a_good_body_still_goes_through(client, headers):
    response = client.post(URL, json={"records": [{**GOOD, "time": None,
                                                   "shield_number": None}]}, headers=headers)
    assert response.status_code == 201
    assert json.loads(response.get_data())["inserted"] == 1


@pytest.mark.parametrize(("query", "field"), [
    ("page=0", "page"), ("page=abc", "page"), ("page=100001", "page"),
    ("per_page=501", "per_page"), ("per_page=", "per_page"),
    ("station=x", "station"), ("station=99999999999999999999", "station"),
    ("station=-1", "station"), ("from=2017-13-01", "from"), ("to=yesterday", "to"),
    ("call_type=" + "x" * 81, "call_type"), ("call_type=a%00b", "call_type"),
])
def test_query_parameters_breaking_the_schema_get_a_400_naming_them(client, headers, query,
                                                                    field):
    response = client.get(f"{URL}?{query}", headers=headers)
    assert response.status_code == 400
    assert response.get_json()["error"]["field"] == field


def test_an_undocumented_method_gets_405_with_allow(client, headers):
    response = client.put(URL, json={}, headers=headers)
    assert response.status_code == 405
    assert set(response.headers["Allow"].split(", ")) >= {"GET", "POST"}
    assert response.get_json()["error"]["status"] == 405
