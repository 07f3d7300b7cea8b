"""The public portal and open data: what is published, what never is, and suppression."""

from __future__ import annotations

import csv
import io
from datetime import date

from cpp_app.audit.services import acting_as
from cpp_app.engagement.models import EngagementRecord
from cpp_app.extensions import db
from cpp_app.meetings import services as meetings
from cpp_app.plans.models import PlannedResponse, Problem
from cpp_app.public.open_data import DATASETS
from cpp_app.updates import services as updates
from tests import factories
from tests.plans.planning import adopted_plan, complete_update
from tests.surveys.surveying import respond, template_survey

SECRETS = ("Informant meeting point", "Covert surveillance", "CI lives at 12 Elm",
           "Suspect list", "Overtime budget", "OFFICER-SHIELD-9999")


def publish_everything(station):
    plan = adopted_plan(station)
    secret = Problem(plan_id=plan.id, title="Informant meeting point", is_internal=True,
                     internal_notes="CI lives at 12 Elm")
    db.session.add(secret)
    db.session.flush()
    db.session.add(PlannedResponse(plan_id=plan.id, problem_id=secret.id,
                                   description="Covert surveillance", kind="enforcement"))
    plan.problems[0].internal_notes = "Suspect list in the case file"
    plan.responses[0].internal_notes = "Overtime budget tight"
    db.session.add(EngagementRecord(occurred_on=date(2026, 5, 1), call_type="COP Activity",
                                    shield_number="OFFICER-SHIELD-9999", location="=1+1",
                                    station_id=station.id, identity="portal-1"))
    db.session.commit()
    update = complete_update(plan)
    with acting_as("test"):
        updates.submit(update)
        updates.approve(update, date(2027, 3, 1))
        updates.publish(update, date(2027, 3, 2))
        meetings.save_meeting(meetings.MeetingDetails(
            station_id=station.id, held_on=date(2026, 9, 1), title="Private title",
            kind="town_hall", attendance=40,
            languages=[meetings.LanguageNeed("es", "provided", interpreter_name="Rosa")]))
    return plan


def test_public_pages_and_downloads_never_show_internal_items(client, station):
    publish_everything(station)
    pages = [client.get(path).get_data(as_text=True) for path in (
        "/", "/portal", "/portal/dashboard", "/open-data", f"/stations/{station.code}")]
    downloads = [client.get(f"/open-data/{name}.csv").get_data(as_text=True)
                 for name in DATASETS]
    for text in pages + downloads:
        for secret in SECRETS:
            assert secret not in text, secret
    assert "Radar feedback signs" in pages[-1] and "You said, we did" in pages[-1]


def test_open_data_columns_are_stable_and_formula_safe(client, station):
    publish_everything(station)
    for name, dataset in DATASETS.items():
        response = client.get(f"/open-data/{name}.csv")
        assert response.status_code == 200 and response.mimetype == "text/csv"
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
    assert "Trust index" in published and "Agree,,12" in published
    assert ",Strongly agree,,9" not in published  # 9 < 10: that answer's count is withheld
    dashboard = client.get("/portal/dashboard").get_data(as_text=True)
    assert "Trust index:" in dashboard


def test_anonymous_home_is_the_public_portal(client, station):
    response = client.get("/")
    assert response.headers["Location"].endswith("/portal")
    page = client.get("/portal").get_data(as_text=True)
    assert station.name in page and "Staff log in" in page
    factories.make_user("admin")
