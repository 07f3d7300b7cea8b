"""The public portal in the shipped languages, chosen the way the survey pages choose theirs.

The choice is ?lang=, then the browser's Accept-Language, then English. What people typed stays
as typed.
"""

from __future__ import annotations

import csv
import io

import pytest
from babel.support import Translations
from markupsafe import escape

from cpp_app.extensions import db
from cpp_app.i18n import TRANSLATIONS
from cpp_app.public.open_data import DATASETS
from cpp_app.surveys.languages import native_name
from tests import factories
from tests.factories.plans import adopted_plan
from tests.factories.public import publish_everything
from tests.factories.surveys import respond, template_survey
from tests.helpers import make_test_app

LANGUAGES = ("es", "zh", "vi", "ko")
CHROME = ("Stations' plans", "Open data", "Staff log in", "Choose your language")
#: Each portal page and messages it must show in the visitor's language.
PAGE_MESSAGES = {
    "/portal": ("Community Policing Plans", "Open data and data dictionary"),
    "/portal/dashboard": ("Department dashboard", "Plans and their semi-annual updates",
                          "Community policing training", "Next update due"),
    "/open-data": ("Community engagement records", "Column", "Meaning",
                   "Date of the activity (YYYY-MM-DD)"),
    "/stations/CEN": ("Our priorities", "Problems we are working on", "You said, we did",
                      "Semi-annual updates", "Because you asked", "How we shared it"),
}
#: A phrase per language written out here, so the test does not only trust the catalogs.
WRITTEN_OUT = {
    "es": ("/portal/dashboard", "Panel de datos del departamento"),
    "zh": ("/stations/CEN", "社区警务计划"),
    "vi": ("/open-data", "Hồ sơ hoạt động gắn kết cộng đồng"),
    "ko": ("/portal", "지역사회 경찰 활동 계획"),
}
HOSTILE_NAME = '<script>alert("name")</script> & Sons'
HOSTILE_AREA = "<img src=x onerror=alert(1)>"


def translated(code: str, msgid: str) -> str:
    """A message as the compiled catalog gives it, escaped as the page shows it."""
    return str(escape(Translations.load(str(TRANSLATIONS), [code]).gettext(msgid)))


def page(client, path: str, **headers) -> str:
    """A page's HTML, checking it was served."""
    response = client.get(path, headers=headers)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


@pytest.fixture
def published(station):
    """Central Station with a published plan and update, as the portal tests use it."""
    publish_everything(station)
    return station


@pytest.mark.parametrize("code", LANGUAGES)
@pytest.mark.usefixtures("published")
def test_every_portal_page_speaks_the_chosen_language(client, code):
    for path, messages in PAGE_MESSAGES.items():
        body = page(client, f"{path}?lang={code}")
        assert f'<html lang="{code}"' in body, path
        for msgid in messages + CHROME:
            expected = translated(code, msgid)
            assert expected != str(escape(msgid)), (code, msgid)
            assert expected in body, (path, code, msgid)
    path, phrase = WRITTEN_OUT[code]
    assert phrase in page(client, f"{path}?lang={code}")


def test_figures_dates_and_survey_titles_follow_the_language(client, published):
    survey = template_survey(published)
    for _ in range(12):
        respond(survey, feel_safe=4, police_respect=4, police_listen=3)
    spanish = page(client, "/portal/dashboard?lang=es")
    assert survey.text("title", "es") in spanish
    assert "(12 respuestas)" in spanish
    assert "Índice de confianza: 62,5 de 100" in spanish
    assert "신뢰 지수: 100점 만점에 62.5점" in page(client, "/portal/dashboard?lang=ko")
    assert "Actualización de febrero de 2027" in page(client, "/stations/CEN?lang=es")
    assert "2026年8月至2027年2月的更新" in page(client, "/stations/CEN?lang=zh")


@pytest.mark.usefixtures("published")
def test_english_is_the_default(client):
    for path, messages in PAGE_MESSAGES.items():
        body = page(client, path)
        assert '<html lang="en"' in body
        for msgid in messages:
            assert str(escape(msgid)) in body, (path, msgid)


@pytest.mark.usefixtures("published")
def test_the_browser_language_is_used_when_none_is_asked_for(client):
    chinese = page(client, "/portal", **{"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"})
    assert '<html lang="zh"' in chinese
    assert "社区警务计划" in chinese
    korean = page(client, "/stations/CEN", **{"Accept-Language": "ko-KR"})
    assert '<html lang="ko"' in korean
    assert translated("ko", "Our priorities") in korean
    asked = page(client, "/portal?lang=vi", **{"Accept-Language": "es"})
    assert '<html lang="vi"' in asked


@pytest.mark.usefixtures("published")
def test_an_unknown_language_falls_back_to_english(client):
    for path in ("/portal?lang=xx", "/portal?lang=", "/portal?lang=../es"):
        body = page(client, path)
        assert '<html lang="en"' in body
        assert "Community Policing Plans" in body
    german = page(client, "/portal/dashboard", **{"Accept-Language": "de-DE,de;q=0.9"})
    assert '<html lang="en"' in german
    assert "Department dashboard" in german


@pytest.mark.usefixtures("published")
def test_links_keep_a_language_picked_on_the_page(client):
    picked = page(client, "/portal?lang=vi")
    assert 'href="/portal/dashboard?lang=vi"' in picked
    assert 'href="/stations/CEN?lang=vi"' in picked
    assert 'href="/open-data/meetings.csv?lang=vi"' in page(client, "/open-data?lang=vi")
    from_browser = page(client, "/portal", **{"Accept-Language": "vi"})
    assert 'href="/portal/dashboard"' in from_browser


@pytest.mark.usefixtures("published")
def test_the_language_switcher_offers_every_shipped_language(client):
    body = page(client, "/stations/CEN?lang=ko")
    assert f'aria-current="true" lang="ko">{native_name("ko")}' in body
    for code in ("en", *LANGUAGES):
        if code != "ko":
            assert (f'href="/stations/CEN?lang={code}" lang="{code}" hreflang="{code}">'
                    f'{native_name(code)}</a>') in body


def test_not_found_pages_speak_the_visitor_language(client):
    response = client.get("/stations/NOPE?lang=es")
    body = response.get_data(as_text=True)
    assert response.status_code == 404
    assert '<html lang="es"' in body
    assert "Página no encontrada" in body
    response = client.get("/open-data/users.csv", headers={"Accept-Language": "zh"})
    assert response.status_code == 404
    assert "找不到页面" in response.get_data(as_text=True)


@pytest.mark.usefixtures("limiter_restored")
def test_the_rate_limit_page_speaks_the_visitor_language(app, tmp_path):
    limited = make_test_app(tmp_path, RATELIMIT_ENABLED=True,
                            SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"])
    client = limited.test_client()
    statuses = [client.get("/open-data?lang=vi").status_code for _ in range(121)]
    assert statuses[:120] == [200] * 120
    assert statuses[120] == 429
    response = client.get("/open-data?lang=vi")
    body = response.get_data(as_text=True)
    assert response.status_code == 429
    assert '<html lang="vi"' in body
    assert "Quá nhiều yêu cầu" in body
    with limited.app_context():
        db.engine.dispose()


def test_staff_pages_stay_english(client, login):
    spanish = {"Accept-Language": "es"}
    login_page = page(client, "/login", **spanish)
    assert '<html lang="en"' in login_page
    assert "Staff log in" in login_page
    login(factories.make_user("admin"))
    home = page(client, "/home", **spanish)
    assert '<html lang="en"' in home
    assert "Skip to main content" in home
    assert "Saltar al contenido principal" not in home


@pytest.mark.parametrize("code", ["en", *LANGUAGES])
def test_what_people_typed_is_shown_as_typed_and_escaped(client, code):
    station = factories.make_station("HOS", HOSTILE_NAME, area_served=HOSTILE_AREA)
    plan = adopted_plan(station)
    plan.summary = "<b>Our</b> plan"
    plan.problems[0].location = "Elm & <5th>"
    db.session.commit()
    for path in ("/portal", "/portal/dashboard", "/stations/HOS"):
        body = page(client, f"{path}?lang={code}")
        assert "<script>" not in body, path
        assert "<img src=x" not in body, path
        assert str(escape(HOSTILE_NAME)) in body, path
    station_page = page(client, f"/stations/HOS?lang={code}")
    assert str(escape(HOSTILE_AREA)) in station_page
    assert "&lt;b&gt;Our&lt;/b&gt; plan" in station_page
    assert "Elm &amp; &lt;5th&gt;" in station_page
    assert "Speeding on Elm Street" in station_page  # a priority title is never translated


@pytest.mark.usefixtures("published")
def test_open_data_columns_stay_english_whatever_the_language(client):
    for name, dataset in DATASETS.items():
        response = client.get(f"/open-data/{name}.csv?lang=zh", headers={"Accept-Language": "zh"})
        header = next(csv.reader(io.StringIO(response.get_data(as_text=True))))
        assert header == [column for column, _meaning in dataset.columns]
    dictionary = page(client, "/open-data?lang=es")
    assert "<code lang=\"en\">languages_interpreted</code>" in dictionary
    assert translated("es", "Of those, the ones an interpreter served") in dictionary


def test_the_site_root_keeps_the_language_asked_for(client):
    assert client.get("/?lang=vi").headers["Location"].endswith("/portal?lang=vi")
    assert client.get("/?lang=xx").headers["Location"].endswith("/portal")
