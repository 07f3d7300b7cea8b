"""Each kind of hostile input the route fuzz found gets a 4xx or a page, never a 500."""

from __future__ import annotations

from datetime import date

import pytest
from flask_wtf import FlaskForm
from sqlalchemy import select
from werkzeug.exceptions import HTTPException

from cpp_app.api import services as api_services
from cpp_app.api.views import http_error
from cpp_app.audit.services import acting_as
from cpp_app.charts import bar_chart
from cpp_app.engagement.models import EngagementRecord
from cpp_app.extensions import db
from cpp_app.forms import PlausibleDateField
from cpp_app.inputs import MAX_JSON_DEPTH, bounded_int, json_shape
from cpp_app.surveys.languages import formatting_locale
from cpp_app.surveys.models import SurveyAnswer, SurveyResponse
from cpp_app.viewhelpers import optional_int
from tests import factories
from tests.factories.surveys import template_survey
from tests.helpers import csrf_token, post_form, row_count

HUGE_IDS = ["2147483648", "9223372036854775808", "99999999999999999999", "9" * 5000]


@pytest.mark.parametrize("huge", HUGE_IDS)
def test_an_id_beyond_the_databases_integers_is_not_found(admin_client, huge):
    assert admin_client.get(f"/surveys/{huge}").status_code == 404
    assert admin_client.get(f"/members/{huge}/edit").status_code == 404


def test_the_largest_database_integer_is_still_an_id_that_can_be_missing(admin_client):
    assert admin_client.get("/surveys/2147483647").status_code == 404


@pytest.mark.parametrize("page", ["99999999999999999999", "9" * 5000, "²", "-1", "0"])
def test_a_page_number_of_any_size_lists_an_empty_or_first_page(admin_client, station, page):
    factories.make_member(station)
    for path in ("/members", "/training", "/admin/audit"):
        assert admin_client.get(f"{path}?page={page}").status_code == 200, path


@pytest.mark.parametrize("value", ["²", "٣", "99999999999999999999", " 12 "])
def test_digits_int_refuses_or_the_database_cannot_hold_are_no_id(value):
    assert optional_int(value) is (12 if value == " 12 " else None)


def test_bounded_int_takes_plain_ascii_digits_within_the_range():
    assert bounded_int("2147483647") == 2147483647
    assert bounded_int("2147483648") is None
    assert bounded_int("7", maximum=5) is None


def test_a_superscript_digit_as_station_filters_nothing(admin_client, station):
    factories.make_member(station, shield="4242")
    for path in ("/members", "/engagement", "/meetings", "/stakeholders", "/outreach/log"):
        response = admin_client.get(f"{path}?station=²")
        assert response.status_code == 200, path


@pytest.mark.parametrize("key", ["endpoint", "_method", "_external", "_anchor", "_scheme"])
def test_url_for_keys_in_the_query_do_not_break_the_pagination(admin_client, station, key):
    for _ in range(26):
        factories.make_member(station)
    response = admin_client.get(f"/members?page=2&active=yes&{key}=x")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'href="/members?page=1&amp;active=yes"' in body
    assert f"{key}=" not in body


@pytest.mark.parametrize("url", ["/portal%00", "/stations/STA%00", "/s/a%00b"])
def test_a_nul_byte_in_the_path_is_a_bad_request(client, url):
    assert client.get(url).status_code == 400


@pytest.mark.parametrize("url", ["/login?email=a%00b", "/stations/STA?lang=%00es&x%00=1"])
def test_a_nul_byte_in_the_query_string_is_taken_out(client, url):
    factories.make_station("STA", "Station A")
    assert client.get(url).status_code == 200


def test_a_nul_byte_in_the_login_form_is_taken_out(client):
    user = factories.make_user("viewer")
    response = post_form(client, "/login", {"email": user.email + "\x00",
                                            "password": factories.PASSWORD})
    assert response.status_code == 302
    assert response.headers["Location"] == "/home"


def test_a_nul_byte_in_a_survey_answer_is_taken_out_and_the_answers_kept(client, station):
    survey = template_survey(station, languages=("en",))
    ids = {question.code: question.id for question in survey.questions}
    response = post_form(client, f"/s/{survey.slug}", {
        f"q{ids['feel_safe']}": "2\x00", f"q{ids['police_respect']}": "4",
        f"q{ids['police_listen']}": "3", f"q{ids['top_issue']}": "speed\x00ing"})
    assert response.status_code == 302
    texts = db.session.scalars(select(SurveyAnswer.text).where(
        SurveyAnswer.question_id == ids["top_issue"])).all()
    assert texts == ["speeding"]
    assert row_count(SurveyResponse) == 1


@pytest.mark.parametrize("target", [
    "/members\r\nLocation: https://evil.example/", "/members\nX", "/\\evil.example",
    "//evil.example", "https://evil.example/", "/members\x7f", "javascript:alert(1)",
])
def test_login_follows_next_only_to_a_plain_local_path(client, target):
    user = factories.make_user("viewer")
    response = post_form(client, "/login", {"email": user.email,
                                            "password": factories.PASSWORD},
                         query_string={"next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == "/home"


def test_login_still_follows_a_local_next(client):
    user = factories.make_user("viewer")
    response = post_form(client, "/login", {"email": user.email,
                                            "password": factories.PASSWORD},
                         query_string={"next": "/members?page=2"})
    assert response.headers["Location"] == "/members?page=2"


def api_writer() -> str:
    """The secret of a token that may write engagement records."""
    with acting_as("test"):
        _token, secret = api_services.create_token(factories.make_user("admin"), "RMS",
                                                   ["engagement:read", "engagement:write"])
    return secret


@pytest.mark.parametrize("depth", [MAX_JSON_DEPTH + 1, 100_000])
def test_json_nested_beyond_the_limit_is_refused_with_400(client, depth):
    body = '{"records": ' + "[" * depth + "]" * depth + "}"
    response = client.post("/api/v1/engagement-records", data=body,
                           content_type="application/json",
                           headers={"Authorization": f"Bearer {api_writer()}"})
    assert response.status_code == 400
    assert "deeper" in response.get_json()["error"]["message"]


def test_json_with_a_nul_is_refused_naming_the_field(client):
    response = client.post("/api/v1/engagement-records",
                           data='{"records": [{"call_type": "a\\u0000", "date": "2024-03-01"}]}',
                           content_type="application/json",
                           headers={"Authorization": f"Bearer {api_writer()}"})
    assert response.status_code == 422
    assert response.get_json()["error"]["field"] == "records[0].call_type"


def test_json_shape_counts_nesting_and_finds_a_nul_in_keys_and_strings():
    assert json_shape({"a": "[[[[", "b": [1, {"c": []}]}) == (4, False)
    assert json_shape([{"a\x00": 1}]) == (2, True)
    assert json_shape(["x", ["y\x00"]]) == (2, True)
    assert json_shape(None) == (0, False)


@pytest.mark.parametrize("page", ["²", "99999999999999999999", "0"])
def test_the_api_refuses_a_page_it_cannot_read_with_400(client, page):
    response = client.get(f"/api/v1/engagement-records?page={page}",
                          headers={"Authorization": f"Bearer {api_writer()}"})
    assert response.status_code == 400


def test_the_api_answers_an_http_exception_without_a_code_as_a_500(app):
    with app.test_request_context("/api/v1/engagement-records"):
        response = http_error(HTTPException())
    assert response.status_code == 500
    assert response.get_json() == {"error": {"status": 500, "message": "Internal error"}}


@pytest.mark.parametrize(("code", "locale"), [("ain", "en"), ("es", "es"), ("pt_BR", "pt_BR"),
                                              ("xx_YY", "en"), ("zh-Hant", "zh")])
def test_formatting_falls_back_to_a_locale_babel_has(code, locale):
    assert formatting_locale(code) == locale


def test_a_survey_in_a_language_without_locale_data_shows_its_form_and_results(
        client, admin_client, station):
    survey = template_survey(station, languages=("en",))
    survey.languages = ["ain", "en"]
    db.session.commit()
    form = client.get(f"/s/{survey.slug}?lang=ain")
    assert form.status_code == 200
    assert 'lang="ain"' in form.get_data(as_text=True)
    token = csrf_token(client, f"/s/{survey.slug}?lang=ain")
    assert client.post(f"/s/{survey.slug}?lang=ain", data={"csrf_token": token,
                                                           "lang": "ain"}).status_code == 400
    assert admin_client.get(f"/surveys/{survey.id}/results").status_code == 200


def test_a_dollar_sign_in_a_chart_label_is_text_not_math():
    assert bar_chart([r"Patrol $\frac{1}{$ check", "$5 fine"], [3, 1], "Calls $x$")


def test_the_audit_log_takes_the_last_date_there_is(admin_client):
    for query in ("date_to=9999-12-31", "date_from=9999-12-31", "date_from=0001-01-01",
                  "date_to=0001-01-01"):
        assert admin_client.get(f"/admin/audit?{query}").status_code == 200, query


def test_the_annual_report_page_shows_a_call_type_with_dollar_signs(admin_client, station):
    db.session.add(EngagementRecord(occurred_on=date(2026, 3, 1), call_type=r"$\frac{1}{$",
                                    station_id=station.id, identity="dollar"))
    db.session.commit()
    assert admin_client.get("/reports/annual/2026").status_code == 200


@pytest.mark.parametrize(("typed", "accepted"), [("2026-12-04", True), ("1900-01-01", True),
                                                 ("2199-12-31", True), ("9999-12-31", False),
                                                 ("0001-01-01", False)])
def test_every_date_field_keeps_to_dates_a_window_can_be_added_to(app, typed, accepted):
    class OneDate(FlaskForm):
        on = PlausibleDateField("On")

    with app.test_request_context(method="POST", data={"on": typed}):
        form = OneDate(meta={"csrf": False})
        assert form.validate() is accepted
        if not accepted:
            assert form.on.errors == ["Enter a date from 1900 to 2199."]


def test_an_attendance_beyond_reason_is_refused_beside_the_field(admin_client, station):
    response = post_form(admin_client, "/meetings/new", {
        "station_id": str(station.id), "title": "Town hall", "held_on": "2026-09-15",
        "kind": "town_hall", "attendance": "2147483648"})
    assert response.status_code == 200
    assert "Number must be between 0 and 100000." in response.get_data(as_text=True)
