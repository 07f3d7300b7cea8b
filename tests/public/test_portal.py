"""The public portal and open data: what is published, what never is, and suppression."""

from __future__ import annotations

import csv
import io

from cpp_app.public.open_data import DATASETS
from tests import factories
from tests.factories.public import SECRETS, publish_everything
from tests.factories.surveys import respond, template_survey


def test_public_pages_and_downloads_never_show_internal_items(client, station):
    publish_everything(station)
    station_path = f"/stations/{station.code}"
    headings = {"/portal": "Community Policing Plans", "/portal/dashboard": "Department dashboard",
                "/open-data": "Open data",
                station_path: f"{station.name}: Community Policing Plan"}
    pages = {}
    for path, heading in headings.items():
        response = client.get(path)
        pages[path] = response.get_data(as_text=True)
        assert response.status_code == 200, path
        assert f"<h1>{heading}</h1>" in pages[path], path
    assert client.get("/").headers["Location"].endswith("/portal")
    downloads = {name: client.get(f"/open-data/{name}.csv").get_data(as_text=True)
                 for name in DATASETS}
    for name in ("engagement-records", "meetings", "plan-responses"):
        assert len(downloads[name].splitlines()) >= 2, f"{name} has no rows"
    assert "Radar feedback signs" in downloads["plan-responses"]
    for text in [*pages.values(), *downloads.values()]:
        for secret in SECRETS:
            assert secret not in text, secret
    assert "Radar feedback signs" in pages[station_path]
    assert "You said, we did" in pages[station_path]


def test_open_data_columns_are_stable_and_formula_safe(client, station):
    publish_everything(station)
    for name, dataset in DATASETS.items():
        response = client.get(f"/open-data/{name}.csv")
        assert response.status_code == 200
        assert response.mimetype == "text/csv"
        header = next(csv.reader(io.StringIO(response.get_data(as_text=True))))
        assert header == [column for column, _ in dataset.columns]
    engagement = client.get("/open-data/engagement-records.csv").get_data(as_text=True)
    assert "'=1+1" in engagement
    meetings_csv = client.get("/open-data/meetings.csv").get_data(as_text=True)
    assert "2026-09-01,CEN,town_hall,40,es,es" in meetings_csv
    assert client.get("/open-data/users.csv").status_code == 404


def test_small_survey_groups_are_suppressed(client, station):
    survey = template_survey(station)
    for _ in range(3):
        respond(survey, feel_safe=4, police_respect=4, police_listen=4)
    rows = client.get("/open-data/survey-results.csv").get_data(as_text=True).splitlines()
    assert len(rows) == 1  # three responses: below the minimum of ten, nothing published
    assert "No survey has enough responses" in client.get("/portal/dashboard") \
        .get_data(as_text=True)
    for _ in range(9):
        respond(survey, feel_safe=5, police_respect=4, police_listen=3)
    published = client.get("/open-data/survey-results.csv").get_data(as_text=True)
    assert "Trust index" in published
    assert "Agree,,12" in published
    assert ",Strongly agree,,9" not in published  # 9 < 10: that answer's count is withheld
    dashboard = client.get("/portal/dashboard").get_data(as_text=True)
    assert "Trust index:" in dashboard


def test_anonymous_home_is_the_public_portal(client, station):
    factories.make_user("admin")
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/portal")
    portal = client.get("/portal")
    page = portal.get_data(as_text=True)
    assert portal.status_code == 200
    assert "<h1>Community Policing Plans</h1>" in page
    assert station.name in page
    assert "Staff log in" in page
