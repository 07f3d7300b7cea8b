"""Plan text in the residents' languages: entered by commanders, shown on the station page.

Where no translation was entered, the English original is shown, marked lang="en".
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from cpp_app.audit.models import AuditEvent
from cpp_app.audit.services import acting_as
from cpp_app.extensions import db
from cpp_app.plans.models import Plan
from cpp_app.updates import services as updates
from tests import factories
from tests.factories.plans import adopted_plan, complete_update
from tests.helpers import post_form

SUMMARY_ES = "Nuestro plan para un barrio más seguro"
PRIORITY_ES = "Exceso de velocidad en la calle Elm"
SAID_ES = "Los padres pidieron vigilancia por la tarde en la reunión de primavera"
DID_ES = "Charlas en la zona escolar y control de velocidad por la tarde"
SUMMARY_ZH = "我们让社区更安全的计划"


def page(client, path: str, status: int = 200, **headers) -> str:
    """A page's HTML, checking its status."""
    response = client.get(path, headers=headers)
    assert response.status_code == status, (path, response.status_code)
    return response.get_data(as_text=True)


def translate_plan(client, plan: Plan, language: str, **values: str):
    """Post the plan's translations form in `language` (keys as the form names them)."""
    url = f"/plans/{plan.id}/translations?language={language}"
    return post_form(client, url, {"language": language, **values})


@pytest.fixture
def commander(login, station):
    """The station's commander, logged in."""
    return login(factories.make_user("commander", station=station))


@pytest.fixture
def published_update(station):
    """An adopted plan and a published update with a "you said, we did" entry."""
    plan = adopted_plan(station)
    update = complete_update(plan)
    with acting_as("test"):
        updates.submit(update)
        updates.approve(update, date(2027, 3, 1))
        updates.publish(update, date(2027, 3, 2))
    return plan, update


def test_commander_translates_the_plan_and_the_station_page_shows_it(commander, client,
                                                                     station):
    plan = adopted_plan(station)
    priority = plan.priorities[0]
    form = page(commander, f"/plans/{plan.id}/translations?language=es")
    assert 'lang="en">Our plan</blockquote>' in form
    assert f'name="priority-{priority.id}-title"' in form
    assert 'lang="es"' in form
    response = translate_plan(commander, plan, "es", **{
        "plan-summary": SUMMARY_ES, f"priority-{priority.id}-title": PRIORITY_ES})
    assert response.status_code == 302
    translate_plan(commander, plan, "zh", **{"plan-summary": SUMMARY_ZH})
    spanish = page(client, "/stations/CEN?lang=es")
    assert f"<p>{SUMMARY_ES}</p>" in spanish
    assert f"<strong><span>{PRIORITY_ES}</span></strong>" in spanish
    assert "Our plan" not in spanish
    chinese = page(client, "/stations/CEN?lang=zh")
    assert f"<p>{SUMMARY_ZH}</p>" in chinese
    # No Chinese title was entered: the original shows, marked as English.
    assert '<strong><span lang="en">Speeding on Elm Street</span></strong>' in chinese
    english = page(client, "/stations/CEN?lang=en")
    assert "<p>Our plan</p>" in english
    assert SUMMARY_ES not in english
    vietnamese = page(client, "/stations/CEN?lang=vi")
    assert '<p lang="en">Our plan</p>' in vietnamese
    events = db.session.scalars(select(AuditEvent).where(
        AuditEvent.action == "translation.save")).all()
    assert len(events) == 3


def test_an_empty_box_brings_the_original_back(commander, client, station):
    plan = adopted_plan(station)
    translate_plan(commander, plan, "es", **{"plan-summary": SUMMARY_ES})
    translate_plan(commander, plan, "es", **{"plan-summary": "  "})
    assert '<p lang="en">Our plan</p>' in page(client, "/stations/CEN?lang=es")
    assert db.session.get(Plan, plan.id).translations == {}


def test_you_said_we_did_entries_are_translated(commander, client, published_update):
    _plan, update = published_update
    change = next(c for c in update.changes if c.is_community_input_based)
    form = page(commander, f"/updates/{update.id}/translations?language=es")
    assert f'name="change-{change.id}-rationale"' in form
    assert "Radar feedback signs" not in form       # result-based changes are not listed
    post_form(commander, f"/updates/{update.id}/translations?language=es", {
        "language": "es", f"change-{change.id}-rationale": SAID_ES,
        f"change-{change.id}-description": DID_ES})
    spanish = page(client, "/stations/CEN?lang=es")
    you_said = re.search(r'<section aria-labelledby="you-said".*?</section>', spanish, re.S)
    assert f"<span>{SAID_ES}</span>" in you_said.group(0)
    assert f"<span>{DID_ES}</span>" in you_said.group(0)
    korean = page(client, "/stations/CEN?lang=ko")
    assert ('<span lang="en">Parents asked for evening coverage at the spring meeting</span>'
            in korean)


def test_translations_follow_the_plan_into_its_next_version(commander, client, station):
    plan = adopted_plan(station)
    translate_plan(commander, plan, "es", **{
        "plan-summary": SUMMARY_ES, f"priority-{plan.priorities[0].id}-title": PRIORITY_ES})
    update = complete_update(plan)
    with acting_as("test"):
        updates.submit(update)
        updates.approve(update, date(2027, 3, 1))
        updates.publish(update, date(2027, 3, 2))
    spanish = page(client, "/stations/CEN?lang=es")
    assert "Versión 2" in spanish or "versión 2" in spanish
    assert SUMMARY_ES in spanish
    assert PRIORITY_ES in spanish


@pytest.mark.parametrize("role", ["staff", "viewer", "training"])
def test_only_commanders_and_administrators_enter_translations(login, station, role):
    plan = adopted_plan(station)
    client = login(factories.make_user(role, station=station))
    assert client.get(f"/plans/{plan.id}/translations").status_code == 403


def test_another_stations_commander_cannot_translate(login, station):
    plan = adopted_plan(station)
    other = factories.make_station("WST", "West Station")
    client = login(factories.make_user("commander", station=other))
    assert client.get(f"/plans/{plan.id}/translations").status_code == 403


def test_unknown_language_is_refused(commander, station):
    plan = adopted_plan(station)
    assert commander.get(f"/plans/{plan.id}/translations?language=xx").status_code == 404
    assert commander.get(f"/plans/{plan.id}/translations?language=en").status_code == 404


def test_hostile_translation_is_escaped(commander, client, station):
    plan = adopted_plan(station)
    translate_plan(commander, plan, "es", **{"plan-summary": "<script>alert(1)</script>"})
    spanish = page(client, "/stations/CEN?lang=es")
    assert "<script>alert(1)</script>" not in spanish
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in spanish
