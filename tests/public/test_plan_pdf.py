"""PDFs in the visitor's language, Chinese and Korean included: plans and survey QR flyers.

Chinese and Korean need the Noto CJK fonts (Debian: fonts-noto-cjk), named in the README and
installed by .ci/run; without them the characters would be drawn as empty boxes.
"""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from cpp_app.surveys.template import TITLE
from tests import factories
from tests.factories.plans import adopted_plan
from tests.factories.surveys import template_survey
from tests.helpers import post_form

SUMMARY_ZH = "我们让社区更安全的计划"
PRIORITY_ZH = "榆树街超速行驶"
SUMMARY_KO = "더 안전한 동네를 위한 우리의 계획"


def cjk_font_installed() -> bool:
    """Whether fontconfig knows a font that covers Chinese."""
    if shutil.which("fc-list") is None:
        return False
    found = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True,
                           check=False)
    return "CJK" in found.stdout


needs_cjk_font = pytest.mark.skipif(
    not cjk_font_installed(),
    reason="no CJK font installed: apt-get install fonts-noto-cjk (see README, Prerequisites)")


def pdf_of(client, path: str) -> PdfReader:
    """The PDF served at `path`."""
    response = client.get(path)
    assert response.status_code == 200, path
    assert response.mimetype == "application/pdf"
    return PdfReader(io.BytesIO(response.data))


def text_of(reader: PdfReader) -> str:
    """The PDF's text layer, without the spaces and line breaks extraction puts in."""
    return "".join("".join(page.extract_text().split()) for page in reader.pages)


def embedded_fonts(reader: PdfReader) -> set[str]:
    """The names of the fonts embedded in the PDF's pages, without subset tag or dashes."""
    names = set()
    for page in reader.pages:
        fonts = page["/Resources"].get_object().get("/Font", {})
        for font in fonts.values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            targets = [d.get_object() for d in descendants] if descendants else [font]
            for target in targets:
                descriptor = target.get("/FontDescriptor")
                if descriptor is not None and any(
                        key in descriptor.get_object()
                        for key in ("/FontFile", "/FontFile2", "/FontFile3")):
                    # "/ABCDEF+Noto-Sans-CJK-SC": a subset of Noto Sans CJK SC.
                    names.add(str(target["/BaseFont"]).split("+")[-1].replace("-", ""))
    return names


@pytest.fixture
def translated_plan(login, station):
    """Central Station's adopted plan with Chinese and Korean translations entered."""
    plan = adopted_plan(station)
    commander = login(factories.make_user("commander", station=station))
    priority = plan.priorities[0]
    post_form(commander, f"/plans/{plan.id}/translations?language=zh", {
        "language": "zh", "plan-summary": SUMMARY_ZH,
        f"priority-{priority.id}-title": PRIORITY_ZH})
    post_form(commander, f"/plans/{plan.id}/translations?language=ko", {
        "language": "ko", "plan-summary": SUMMARY_KO})
    commander.get("/logout")
    return plan


@needs_cjk_font
@pytest.mark.usefixtures("translated_plan")
def test_the_chinese_plan_pdf_has_chinese_text_in_an_embedded_cjk_font(client):
    reader = pdf_of(client, "/stations/CEN/plan.pdf?lang=zh")
    text = text_of(reader)
    for phrase in (SUMMARY_ZH, PRIORITY_ZH, "我们的优先事项", "社区警务计划"):
        assert phrase in text, phrase
    fonts = embedded_fonts(reader)
    assert any(name.startswith("NotoSansCJKSC") for name in fonts), fonts
    # The untranslated English originals are still there, drawn in a Latin font.
    assert "Speedingnear" in text


@needs_cjk_font
@pytest.mark.usefixtures("translated_plan")
def test_the_korean_plan_pdf_uses_the_korean_cjk_font(client):
    reader = pdf_of(client, "/stations/CEN/plan.pdf?lang=ko")
    assert "".join(SUMMARY_KO.split()) in text_of(reader)
    fonts = embedded_fonts(reader)
    assert any(name.startswith("NotoSansCJKKR") for name in fonts), fonts


@pytest.mark.usefixtures("translated_plan")
def test_the_plan_pdf_in_spanish_and_english(client):
    spanish = text_of(pdf_of(client, "/stations/CEN/plan.pdf?lang=es"))
    assert "Nuestrasprioridades" in spanish
    english = text_of(pdf_of(client, "/stations/CEN/plan.pdf?lang=en"))
    assert "Ourpriorities" in english
    assert "Ourplan" in english
    assert "我们" not in english


def test_no_pdf_for_a_station_without_a_published_plan(client, station):
    assert client.get(f"/stations/{station.code}/plan.pdf").status_code == 404
    assert client.get("/stations/NOPE/plan.pdf?lang=zh").status_code == 404


@needs_cjk_font
@pytest.mark.parametrize(("language", "font"), [("zh", "NotoSansCJKSC"), ("ko", "NotoSansCJKKR")])
def test_the_qr_flyer_pdf_in_chinese_and_korean(login, station, language, font):
    survey = template_survey(station, languages=("en", "zh", "ko"))
    client = login(factories.make_user("commander", station=station))
    reader = pdf_of(client, f"/reports/survey/{survey.id}/flyer-{language}.pdf")
    text = text_of(reader)
    assert "".join(TITLE[language].split()) in text
    assert f"/s/{survey.slug}?lang={language}" in text
    fonts = embedded_fonts(reader)
    assert any(name.startswith(font) for name in fonts), fonts
    assert len(reader.pages) == 1


def test_the_flyer_pdf_is_only_in_the_surveys_languages(login, station):
    survey = template_survey(station, languages=("en", "es"))
    client = login(factories.make_user("commander", station=station))
    assert client.get(f"/reports/survey/{survey.id}/flyer-zh.pdf").status_code == 404
    other = template_survey(factories.make_station("WST", "West Station"))
    assert client.get(f"/reports/survey/{other.id}/flyer-en.pdf").status_code == 403
