"""A resident answers the template survey in Spanish on a phone; a commander acts on it.

The commander sees the result and promotes the top issue to a plan priority. Public survey
pages pass axe in every language.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from playwright.sync_api import expect
from sqlalchemy import select

from cpp_app.audit.services import acting_as
from cpp_app.extensions import db
from cpp_app.plans import services as plan_services
from cpp_app.plans.models import Priority
from tests import factories
from tests.e2e.browsing import log_in, serious_violations
from tests.factories.surveys import respond, template_survey

LANGUAGES = ("en", "es", "zh", "vi", "ko")


def test_resident_answers_in_spanish_then_commander_promotes_the_top_issue(
        new_page, phone_page, live_server, station):
    survey = template_survey(station, languages=LANGUAGES)
    for _ in range(2):
        respond(survey, feel_safe=3, police_respect=4, police_listen=3,
                top_issue="Exceso de velocidad")
    with acting_as("test"):
        plan = plan_services.start_plan(station)

    page = phone_page
    page.goto(f"{live_server}/s/{survey.slug}")  # Accept-Language: es
    expect(page.locator("html")).to_have_attribute("lang", "es")
    page.get_by_role("group", name="Me siento seguro/a en mi vecindario.") \
        .get_by_label("De acuerdo", exact=True).check()
    page.get_by_role("group", name="La policía de mi vecindario trata") \
        .get_by_label("Totalmente de acuerdo").check()
    page.get_by_role("textbox").fill("Exceso de velocidad")
    page.get_by_role("button", name="Enviar mis respuestas").click()

    expect(page.get_by_role("alert")).to_contain_text(
        "Por favor, corrija las respuestas señaladas abajo.")
    expect(page.get_by_text("Por favor, responda esta pregunta.").first).to_be_visible()
    expect(page.get_by_role("textbox")).to_have_value("Exceso de velocidad")
    listen = page.get_by_role("group", name="La policía escucha")
    listen.get_by_label("Ni de acuerdo ni en desacuerdo").check()
    page.get_by_role("button", name="Enviar mis respuestas").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gracias")

    commander = factories.make_user("commander", station=station)
    staff_page = new_page()
    log_in(staff_page, live_server, commander.email, factories.PASSWORD)
    staff_page.goto(f"{live_server}/surveys/{survey.id}/results")
    expect(staff_page.get_by_text("3 responses")).to_be_visible()
    assert serious_violations(staff_page) == []
    top_issue = staff_page.get_by_role("listitem").filter(has_text="exceso de velocidad").first
    top_issue.get_by_label("Priority kind").select_option("quality_of_life")
    top_issue.get_by_role("button", name="Promote to a plan priority").click()
    expect(staff_page.get_by_text("Added to the draft plan's priorities.")).to_be_visible()
    factories.fresh_transaction()
    priority = db.session.scalar(select(Priority).where(Priority.plan_id == plan.id))
    assert priority.title == "exceso de velocidad"
    assert priority.source == "survey"


def test_public_survey_pages_pass_axe_in_every_language(page, live_server, station):
    survey = template_survey(station, languages=LANGUAGES)
    for language in LANGUAGES:
        page.goto(f"{live_server}/s/{survey.slug}?lang={language}")
        expect(page.locator("html")).to_have_attribute("lang", language)
        assert serious_violations(page) == [], language
    page.goto(f"{live_server}/s/{survey.slug}?lang=es")
    page.get_by_role("button", name="Enviar mis respuestas").click()  # shows the errors
    expect(page.get_by_role("alert")).to_contain_text(
        "Por favor, corrija las respuestas señaladas abajo.")
    assert serious_violations(page) == [], "form with errors"
    page.goto(f"{live_server}/s/{survey.slug}/thanks?lang=vi")
    expect(page.get_by_role("heading", level=1)).to_contain_text("cảm ơn")
    assert serious_violations(page) == [], "thank-you page"


def test_a_device_answers_once_unless_the_commander_sets_up_a_kiosk(new_page, live_server,
                                                                    station):
    survey = template_survey(station, languages=("en", "es"))
    burst = datetime.now(UTC).replace(second=0) - timedelta(hours=5)
    for second in range(6):  # one client's burst, all in one minute
        respond(survey, feel_safe=1, police_respect=1, police_listen=1).submitted_at = \
            burst + timedelta(seconds=second * 5)
    for day in range(1, 4):
        respond(survey, feel_safe=3, police_respect=3, police_listen=3).submitted_at = \
            datetime.now(UTC) - timedelta(days=day)
    db.session.commit()

    resident = new_page()
    resident.goto(f"{live_server}/s/{survey.slug}")
    resident.get_by_role("group", name="I feel safe in my neighbourhood.") \
        .get_by_label("Agree", exact=True).check()
    resident.get_by_role("group", name="Police in my neighbourhood treat") \
        .get_by_label("Strongly agree").check()
    resident.get_by_role("group", name="Police listen").get_by_label("Agree", exact=True).check()
    resident.get_by_role("button", name="Send my answers").click()
    expect(resident.get_by_role("heading", level=1)).to_have_text("Thank you")
    assert "response" not in resident.url.split("/thanks")[1]
    resident.goto(f"{live_server}/s/{survey.slug}")
    expect(resident.get_by_text("You have already answered, thank you.")).to_be_visible()
    expect(resident.get_by_role("button", name="Send my answers")).to_have_count(0)
    assert serious_violations(resident) == [], "already answered"

    commander = factories.make_user("commander", station=station)
    staff = new_page()
    log_in(staff, live_server, commander.email, factories.PASSWORD)
    staff.goto(f"{live_server}/surveys/{survey.id}/results")
    bursts = staff.locator("#bursts")
    expect(bursts).to_contain_text("1 minute stands out, with 6 of 10 responses")
    expect(bursts.get_by_role("table")).to_contain_text("6")
    staff.goto(f"{live_server}/surveys/{survey.id}/settings")
    staff.get_by_label("Allow several responses from one device").check()
    staff.get_by_role("button", name="Save settings").click()
    expect(staff.get_by_text("Several responses may come from one device")).to_be_visible()

    resident.goto(f"{live_server}/s/{survey.slug}")
    expect(resident.get_by_role("button", name="Send my answers")).to_be_visible()
