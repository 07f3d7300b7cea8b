"""Residents find the open surveys and upcoming public meetings from the portal and stations."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from babel.dates import format_date

from cpp_app.audit.services import acting_as
from cpp_app.clock import today_local
from cpp_app.extensions import db
from cpp_app.meetings import services as meetings
from cpp_app.meetings.models import Meeting
from cpp_app.surveys import services as surveys
from cpp_app.surveys.template import TITLE
from tests import factories
from tests.factories.surveys import template_survey
from tests.helpers import post_form

LANGUAGES = ("en", "es", "zh", "vi", "ko")
CHICAGO = ZoneInfo("America/Chicago")
EMPTY = {"en": ("No survey is open right now.", "No public meeting is scheduled yet."),
         "es": ("No hay ninguna encuesta abierta", "Todavía no hay ninguna reunión pública"),
         "zh": ("目前没有开放的调查", "尚未安排公开会议"),
         "vi": ("Hiện không có khảo sát nào", "Chưa có cuộc họp công khai nào"),
         "ko": ("현재 진행 중인 설문조사가 없습니다", "예정된 공개 회의가 아직 없습니다")}


def body(client, path: str) -> str:
    """A page's HTML, checking it was served."""
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def section(html: str, anchor: str) -> str:
    """The HTML of the <section> labelled by `anchor`."""
    match = re.search(rf'<section aria-labelledby="{anchor}".*?</section>', html, re.S)
    assert match, anchor
    return match.group(0)


def meeting(station, days_ahead: int, **fields) -> Meeting:
    """A meeting saved through the service, `days_ahead` days from today."""
    details = meetings.MeetingDetails(
        station_id=station.id, held_on=today_local() + timedelta(days=days_ahead),
        title=fields.pop("title", "Neighbourhood meeting"), kind="town_hall", **fields)
    with acting_as("test"):
        return meetings.save_meeting(details)


@pytest.fixture
def west():
    """A second station."""
    return factories.make_station("WST", "West Station")


@pytest.mark.parametrize("code", LANGUAGES)
def test_open_surveys_are_listed_in_the_page_language(client, station, west, code):
    today = today_local()
    closes = today + timedelta(days=20)
    own = template_survey(station, languages=("en", "es", "zh"), closes_on=closes)
    department = template_survey(None, languages=("en", "es", "zh", "vi", "ko"))
    other = template_survey(west, languages=("en",))
    template_survey(station, open_it=False)
    template_survey(station, closes_on=today - timedelta(days=1))
    template_survey(station, opens_on=today + timedelta(days=3))
    listed = section(body(client, f"/stations/CEN?lang={code}"), "open-surveys")
    links = re.findall(r'href="/s/(\w+)\?lang=(\w+)"', listed)
    assert sorted(slug for slug, _ in links) == sorted([own.slug, department.slug])
    own_language = code if code in own.languages else "en"
    assert (own.slug, own_language) in links
    assert (department.slug, code) in links
    assert TITLE[own_language] in listed
    if own_language != code:
        assert f'lang="en">{TITLE["en"]}</a>' in listed
    assert format_date(closes, "long", locale=code) in listed
    assert 'lang="zh">中文</span>' in listed
    assert 'lang="es">Español</span>' in listed
    home = section(body(client, f"/portal?lang={code}"), "open-surveys")
    assert {own.slug, department.slug, other.slug} == set(re.findall(r'href="/s/(\w+)', home))
    assert "West Station" in home


@pytest.mark.parametrize("code", LANGUAGES)
@pytest.mark.usefixtures("station")
def test_empty_states_say_so_in_every_language(client, code):
    for path in ("/portal", "/stations/CEN"):
        html = body(client, f"{path}?lang={code}")
        assert EMPTY[code][0] in section(html, "open-surveys"), (path, code)
        assert EMPTY[code][1] in section(html, "upcoming-meetings"), (path, code)
        assert '<section aria-labelledby="you-said"' in html or path == "/portal"


def test_upcoming_public_meetings_show_time_place_and_interpreters(client, station, west):
    soon = meeting(station, 5, title="Town hall on traffic", place="Library, 12 Oak St",
                   starts_at=time(18, 30),
                   languages=[meetings.LanguageNeed("es", "provided", interpreter_name="Rosa"),
                              meetings.LanguageNeed("zh", "requested_not_provided")])
    meeting(station, -3, title="Last week's meeting")
    meeting(station, 8, title="Closed advisory board", is_public=False)
    meeting(west, 2, title="West side meeting")
    local = soon.starts_at.astimezone(CHICAGO)
    assert (local.hour, local.minute) == (18, 30)
    assert soon.starts_at.utcoffset() == timedelta(0)
    english = section(body(client, "/stations/CEN?lang=en"), "upcoming-meetings")
    assert "Town hall on traffic" in english
    assert "6:30\u202fPM C" in english or "6:30 PM C" in english
    assert "Library, 12 Oak St" in english
    assert "interpreter arranged" in english
    assert "interpreter requested" in english
    for hidden in ("Last week", "Closed advisory board", "West side meeting"):
        assert hidden not in english
    spanish = section(body(client, "/stations/CEN?lang=es"), "upcoming-meetings")
    assert "18:30" in spanish
    assert "intérprete confirmado" in spanish
    assert format_date(soon.held_on, "full", locale="es") in spanish
    home = section(body(client, "/portal?lang=zh"), "upcoming-meetings")
    assert "West side meeting" in home
    assert "Town hall on traffic" in home
    assert home.index("West side meeting") < home.index("Town hall on traffic")


def test_meeting_form_takes_a_local_start_time_and_public_flag(login, station):
    client = login(factories.make_user("commander", station=station))
    day = today_local() + timedelta(days=10)
    response = post_form(client, "/meetings/new", {
        "station_id": str(station.id), "title": "Evening listening session",
        "held_on": day.isoformat(), "start_time": "19:15", "kind": "town_hall",
        "place": "Hall"})
    assert response.status_code == 302, response.get_data(as_text=True)[:400]
    saved = db.session.scalar(db.select(Meeting).where(Meeting.title.like("Evening%")))
    assert saved.is_public is False  # an unticked checkbox means not listed
    local = saved.starts_at.astimezone(CHICAGO)
    assert (local.date(), local.hour, local.minute) == (day, 19, 15)
    assert saved.starts_at.tzinfo is not None
    assert saved.starts_at.astimezone(UTC) != datetime.combine(day, time(19, 15), UTC)
    edit = client.get(f"/meetings/{saved.id}/edit").get_data(as_text=True)
    assert 'value="19:15"' in edit


@pytest.mark.parametrize("code", ["en", "es", "zh"])
def test_thanks_page_leads_back_to_the_station_and_you_said_we_did(client, station, code):
    own = template_survey(station, languages=("en", "es", "zh"))
    department = template_survey(None, languages=("en", "es", "zh"))
    thanks = body(client, f"/s/{own.slug}/thanks?lang={code}")
    link = re.search(r'href="(/stations/CEN[^"]*)"', thanks).group(1)
    assert link == f"/stations/CEN?lang={code}#you-said"
    page = body(client, link.split("#")[0])
    assert 'id="you-said"' in page
    department_thanks = body(client, f"/s/{department.slug}/thanks?lang={code}")
    assert f'href="/portal?lang={code}"' in department_thanks
    assert "/stations/" not in department_thanks


def test_closed_surveys_are_not_listed(client, station):
    survey = template_survey(station)
    assert survey.slug in body(client, "/portal")
    with acting_as("test"):
        surveys.close_survey(survey)
    assert survey.slug not in body(client, "/portal")
