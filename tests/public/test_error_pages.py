"""Error pages speak the visitor's language on public addresses and when a language is chosen."""

from __future__ import annotations

import pytest
from babel.support import Translations
from markupsafe import escape
from werkzeug.exceptions import Forbidden

from cpp_app.i18n import TRANSLATIONS
from cpp_app.public import services

TITLES = {404: "Page not found", 403: "Not allowed", 500: "Something went wrong"}
WRITTEN_OUT = {"es": "Página no encontrada", "zh": "找不到页面"}


def translated(code: str, msgid: str) -> str:
    """A message as the compiled catalog gives it, escaped as a page shows it."""
    return str(escape(Translations.load(str(TRANSLATIONS), [code]).gettext(msgid)))


def error_page(client, path: str, status: int, **headers) -> str:
    """An error page's HTML, checking its status."""
    response = client.get(path, headers=headers)
    assert response.status_code == status, path
    return response.get_data(as_text=True)


@pytest.mark.parametrize("code", ["es", "zh", "vi", "ko"])
@pytest.mark.parametrize("path", ["/stations/NOPE", "/portal/no-such-page",
                                  "/stations/CEN/no-such-page", "/open-data/nothing.csv",
                                  "/s/no-such-survey/thanks", "/no-such-page"])
@pytest.mark.usefixtures("station")
def test_not_found_under_a_localised_link(client, code, path):
    html = error_page(client, f"{path}?lang={code}", 404)
    assert f'<html lang="{code}"' in html
    title = translated(code, TITLES[404])
    assert title != TITLES[404]
    assert f"<h1>{title}</h1>" in html
    assert f'href="{path}?lang=en"' in html


@pytest.mark.parametrize(("code", "phrase"), WRITTEN_OUT.items())
def test_the_browser_language_is_enough_on_a_public_address(client, code, phrase):
    html = error_page(client, "/stations/NOPE/extra", 404, **{"Accept-Language": code})
    assert phrase in html


def test_staff_addresses_keep_the_staff_error_page(client):
    html = error_page(client, "/manage/no-such-page", 404, **{"Accept-Language": "es"})
    assert '<html lang="en"' in html
    assert "<h1>Page not found</h1>" in html


@pytest.mark.parametrize("code", ["es", "zh"])
def test_forbidden_and_server_errors_on_public_pages(app, client, monkeypatch, station,
                                                     code):
    def refuse(_code):
        raise Forbidden

    monkeypatch.setattr(services, "station_by_code", refuse)
    html = error_page(client, f"/stations/{station.code}?lang={code}", 403)
    assert f"<h1>{translated(code, TITLES[403])}</h1>" in html

    def break_down(_code):
        raise RuntimeError("database gone")

    monkeypatch.setattr(services, "station_by_code", break_down)
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)
    html = error_page(client, f"/stations/{station.code}?lang={code}", 500)
    assert f"<h1>{translated(code, TITLES[500])}</h1>" in html
    assert "database gone" not in html
