"""The project's own icon: linked from every page and answered at /favicon.ico."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

SVG = "{http://www.w3.org/2000/svg}svg"


@pytest.mark.parametrize("path", ["/login", "/portal"])
def test_pages_link_the_svg_icon(client, path):
    page = client.get(path).get_data(as_text=True)
    assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page


def test_the_icon_is_a_small_svg(client):
    response = client.get("/static/favicon.svg")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    assert len(response.data) < 2_000
    assert ET.fromstring(response.data).tag == SVG  # noqa: S314 - our own file


def test_favicon_ico_leads_to_the_icon_rather_than_a_not_found(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response.headers["Location"] == "/static/favicon.svg"
    assert client.get("/favicon.ico", follow_redirects=True).mimetype == "image/svg+xml"
