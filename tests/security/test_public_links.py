"""Public links (QR codes, flyers, emails) come from CPP_PUBLIC_BASE_URL, not the Host header."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from cpp_app.app import create_app
from cpp_app.audit.services import acting_as
from cpp_app.extensions import db
from cpp_app.links import PublicBaseUrlMissingError, absolute_link, public_url
from cpp_app.reminders import services as reminders
from cpp_app.reminders.models import OutboxEmail
from tests import factories
from tests.factories.plans import adopted_plan
from tests.factories.surveys import template_survey
from tests.helpers import CSRF_INPUT
from tests.security.test_config_security import production_settings

BASE = "https://cpp.example.gov"


def test_the_flyer_ignores_a_forged_host_header(app, client, station, monkeypatch):
    monkeypatch.setitem(app.config, "CPP_PUBLIC_BASE_URL", BASE)
    survey = template_survey(station)
    user = factories.make_user("staff", station=station)
    forged = {"base_url": "http://phish.example.net"}
    login_page = client.get("/login", **forged).get_data(as_text=True)
    token = CSRF_INPUT.search(login_page).group(1)
    assert client.post("/login", data={"csrf_token": token, "email": user.email,
                                       "password": factories.PASSWORD},
                       **forged).status_code == 302
    body = client.get(f"/surveys/{survey.id}/flyer/es", **forged).get_data(as_text=True)
    assert f"{BASE}/s/{survey.slug}?lang=es" in body
    assert "phish.example.net" not in body
    detail = client.get(f"/surveys/{survey.id}", **forged).get_data(as_text=True)
    assert f"{BASE}/s/{survey.slug}" in detail
    assert "phish.example.net" not in detail


def test_a_base_url_with_a_path_keeps_it(app, monkeypatch):
    monkeypatch.setitem(app.config, "CPP_PUBLIC_BASE_URL", "https://city.example.gov/cpp/")
    assert public_url("survey_public.survey_form", slug="abc", lang="es") == \
        "https://city.example.gov/cpp/s/abc?lang=es"
    assert absolute_link("/manage/stations/1/plan") == \
        "https://city.example.gov/cpp/manage/stations/1/plan"


def test_without_a_base_url_links_fall_back_only_in_a_development_request(app, monkeypatch):
    assert app.config["CPP_PUBLIC_BASE_URL"] == ""
    with app.test_request_context("/", base_url="http://localhost:5000"):
        assert public_url("survey_public.survey_form", slug="abc") == \
            "http://localhost:5000/s/abc"
    with pytest.raises(PublicBaseUrlMissingError, match="Set CPP_PUBLIC_BASE_URL"):
        public_url("survey_public.survey_form", slug="abc")
    monkeypatch.setitem(app.config, "ENV_NAME", "production")
    with app.test_request_context("/", base_url="http://evil.example.net"), \
            pytest.raises(PublicBaseUrlMissingError):
        public_url("survey_public.survey_form", slug="abc")


def test_reminder_emails_link_to_the_public_base_url(app, station, monkeypatch):
    monkeypatch.setitem(app.config, "CPP_PUBLIC_BASE_URL", BASE)
    factories.make_user("commander", station=station)
    adopted_plan(station, adopted_on=date(2026, 6, 30))
    with acting_as("test"):
        reminders.run_pass(date(2026, 11, 30))
    email = db.session.scalar(select(OutboxEmail))
    assert f"Open it in CPP Manager: {BASE}/manage/stations/{station.id}/plan" in email.body


@pytest.mark.parametrize("value", [None, "", "cpp.example.gov", "ftp://cpp.example.gov",
                                   "https://"])
def test_production_refuses_to_start_without_a_proper_public_base_url(tmp_path, value):
    with pytest.raises(RuntimeError, match="CPP_PUBLIC_BASE_URL must be set in production"):
        create_app(production_settings(tmp_path, CPP_PUBLIC_BASE_URL=value))
