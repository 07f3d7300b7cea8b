"""Browser journeys of the portal: finding a survey, and reading a translated plan.

A resident finds a survey from the portal and comes back to "you said, we did"; a commander
translates the plan and a Chinese-speaking resident reads it.
"""

from __future__ import annotations

from datetime import time, timedelta

from playwright.sync_api import expect

from cpp_app.audit.services import acting_as
from cpp_app.clock import today_local
from cpp_app.meetings import services as meetings
from tests import factories
from tests.e2e.browsing import log_in, serious_violations
from tests.factories.public import publish_everything
from tests.factories.surveys import template_survey


def test_resident_finds_the_survey_on_the_portal_and_comes_back_to_you_said_we_did(
        phone_page, live_server, station):
    publish_everything(station)
    survey = template_survey(station, languages=("en", "es", "zh"),
                             closes_on=today_local() + timedelta(days=30))
    with acting_as("test"):
        meetings.save_meeting(meetings.MeetingDetails(
            station_id=station.id, held_on=today_local() + timedelta(days=7),
            title="Town hall on traffic", kind="town_hall", place="Central Library",
            starts_at=time(18, 30),
            languages=[meetings.LanguageNeed("es", "provided", interpreter_name="Rosa")]))
    page = phone_page                                  # Accept-Language: es
    page.goto(f"{live_server}/portal")
    surveys = page.get_by_role("region", name="Encuestas abiertas ahora")
    expect(surveys).to_contain_text("Abierta hasta el")
    meetings_region = page.get_by_role("region", name="Próximas reuniones comunitarias")
    expect(meetings_region).to_contain_text("Central Library")
    expect(meetings_region).to_contain_text("18:30")
    expect(meetings_region).to_contain_text("intérprete confirmado")
    assert serious_violations(page) == []
    surveys.get_by_role("link", name="Encuesta sobre seguridad y confianza en la comunidad") \
        .click()
    expect(page).to_have_url(f"{live_server}/s/{survey.slug}?lang=es")
    page.get_by_role("group", name="Me siento seguro/a en mi vecindario.") \
        .get_by_label("De acuerdo", exact=True).check()
    page.get_by_role("group", name="La policía de mi vecindario trata") \
        .get_by_label("Totalmente de acuerdo").check()
    page.get_by_role("group", name="La policía escucha") \
        .get_by_label("Ni de acuerdo ni en desacuerdo").check()
    page.get_by_role("button", name="Enviar mis respuestas").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gracias")
    page.get_by_role("link", name="Vea lo que Central Station cambió").click()
    expect(page).to_have_url(f"{live_server}/stations/CEN?lang=es#you-said")
    expect(page.get_by_role("region", name="Lo que nos dijeron y lo que hicimos")) \
        .to_contain_text("Parents asked for evening coverage")
    assert serious_violations(page) == []


def test_commander_translates_the_plan_and_a_resident_reads_it_in_chinese(
        new_page, live_server, station):
    publish_everything(station)
    commander = factories.make_user("commander", station=station)
    staff = new_page()
    log_in(staff, live_server, commander.email, factories.PASSWORD)
    staff.goto(f"{live_server}/manage/stations/{station.id}/plan")
    staff.get_by_role("link", name="Translations").click()
    staff.get_by_label("Language").select_option("zh")
    staff.get_by_role("button", name="Show this language").click()
    staff.get_by_label("Title in Chinese").first.fill("榆树街超速行驶")
    assert serious_violations(staff) == []
    staff.get_by_role("button", name="Save the translations").click()
    expect(staff.get_by_text("Translations saved.")).to_be_visible()

    resident = new_page(locale="zh-CN")
    resident.goto(f"{live_server}/stations/CEN")
    expect(resident.locator("html")).to_have_attribute("lang", "zh")
    expect(resident.get_by_text("榆树街超速行驶")).to_be_visible()
    original = resident.locator('[lang="en"]', has_text="Our plan")
    expect(original).to_have_count(1)
    assert serious_violations(resident) == []
    resident.goto(f"{live_server}/portal/nothing-here")
    expect(resident.get_by_role("heading", level=1)).to_have_text("找不到页面")
