"""PDF reports, read back with pypdf for their sections and figures.

Nothing internal is in them, and rendering fetches no file and nothing from the network.
"""

from __future__ import annotations

import base64
import io
import re
from datetime import date

import pytest
from pypdf import PdfReader

from cpp_app.charts import MAX_HEIGHT_INCHES, bar_chart
from cpp_app.clock import today_local
from cpp_app.extensions import db
from cpp_app.reports import services
from cpp_app.reports.pdf import safe_url_fetcher
from cpp_app.updates.models import PlanUpdate
from tests import factories
from tests.factories.plans import adopted_plan
from tests.factories.public import SECRETS, publish_everything
from tests.factories.reports import prepared_pdf
from tests.factories.surveys import respond, template_survey


def pdf_text(response) -> str:
    """The text of every page of a PDF response (checking it is one)."""
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_plan_and_update_reports(client, login, station):
    plan = publish_everything(station)
    login(factories.make_user("admin"))
    text = pdf_text(client.get(f"/reports/plan/{station.id}.pdf"))
    for heading in ("Community Policing Plan", "Priorities", "Problems and planned responses",
                    "Page 1 of"):
        assert heading in text
    assert "Speeding near the school" in text
    for secret in SECRETS:
        assert secret not in text
    update = db.session.scalar(db.select(PlanUpdate))
    update_text = pdf_text(client.get(f"/reports/update/{update.id}.pdf"))
    for heading in ("1. Community feedback", "2. Effectiveness", "3. New or modified",
                    "4. Sharing"):
        assert heading in update_text
    assert "Radar feedback signs" in update_text
    assert update.plan_id == plan.id
    assert "Demo County Sheriff's Department" in update_text  # the running header


def test_annual_report_sections_and_suppression(client, login, station):
    publish_everything(station)
    survey = template_survey(station)
    for _ in range(12):
        respond(survey, today=date(2026, 3, 1), feel_safe=4, police_respect=5, police_listen=5)
    small = template_survey(station)
    respond(small, today=date(2026, 3, 1), feel_safe=1, police_respect=1, police_listen=1)
    login(factories.make_user("viewer"))
    text = pdf_text(prepared_pdf(client, "annual", 2026))
    for heading in ("Community engagement", "Community meetings", "What residents told us",
                    "Stakeholder outreach", "Training compliance", "Plan timeliness",
                    "What changed because of community input"):
        assert heading in text, heading
    assert "1 meetings held, 40 people attended." in text
    assert "(12 responses)" in text
    assert "(1 responses)" not in text
    assert "Trust index: 100.0 / 100" in text
    for secret in SECRETS:
        assert secret not in text


def test_training_report_and_scoping(client, login, station):
    factories.make_member(station, last_name="Shortfall", start_date=date(2010, 1, 1))
    other = factories.make_station("EST", "East")
    factories.make_member(other, last_name="Elsewhere", start_date=date(2010, 1, 1))
    factories.make_member(other, last_name="Departed", start_date=date(2010, 1, 1),
                          active=False)
    login(factories.make_user("training"))
    text = pdf_text(prepared_pdf(client, "training"))
    assert "Members short of the hours (2)" in text
    assert "Shortfall" in text
    assert "Elsewhere" in text
    assert "Departed" not in text


def test_commanders_cannot_download_other_stations_plans(client, login, station):
    other = factories.make_station("EST", "East")
    adopted_plan(other)
    login(factories.make_user("commander", station=station))
    assert client.get(f"/reports/plan/{other.id}.pdf").status_code == 403
    page = client.get("/reports").get_data(as_text=True)
    assert '<option value="annual">Annual report</option>' in page
    assert 'value="training"' not in page  # not offered to a station-bound commander


def test_cli_writes_the_pdf(app, tmp_path, station):
    publish_everything(station)
    out = tmp_path / "plan.pdf"
    result = app.test_cli_runner().invoke(
        args=["cpp", "report", "plan", "--station", station.code.lower(), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "Community Policing Plan" in PdfReader(out).pages[0].extract_text()


def test_renderer_fetches_no_files_or_urls():
    fetcher = safe_url_fetcher()
    with pytest.raises(ValueError, match="disallowed protocol"):
        fetcher.fetch("file:///etc/passwd")
    with pytest.raises(ValueError, match="disallowed protocol"):
        fetcher.fetch("http://example.org/x.png")


def test_plan_update_and_training_pages_offer_their_pdfs(client, login, station):
    publish_everything(station)
    update = db.session.scalar(db.select(PlanUpdate))
    login(factories.make_user("admin"))
    plan_page = client.get(f"/manage/stations/{station.id}/plan").get_data(as_text=True)
    assert f'href="/reports/plan/{station.id}.pdf"' in plan_page
    update_page = client.get(f"/updates/{update.id}").get_data(as_text=True)
    assert f'href="/reports/update/{update.id}.pdf"' in update_page
    assert 'href="/reports">PDF report' in client.get("/training").get_data(as_text=True)


def chart_height_inches(chart: str) -> float:
    """The height of an SVG chart given as a data URL, in inches."""
    svg = base64.b64decode(chart.split(",", 1)[1]).decode()
    return float(re.search(r'height="([\d.]+)pt"', svg).group(1)) / 72


def test_a_chart_of_many_stations_still_fits_on_a_page():
    few = bar_chart(["A", "B", "C"], [3, 2, 1], "Few")
    many = bar_chart([f"S{n:02d}" for n in range(81)], list(range(81)), "Many")
    assert chart_height_inches(few) < chart_height_inches(many) <= MAX_HEIGHT_INCHES


def test_plan_page_and_training_dashboard_show_their_pdfs_charts(client, login, station):
    publish_everything(station)
    other = factories.make_station("EST", "East")
    for where in (station, other):
        factories.make_member(where, start_date=date(2010, 1, 1))
    login(factories.make_user("admin"))
    plan_chart = services.plan_context(station)["kinds_chart"]
    assert plan_chart.startswith("data:image/svg+xml;base64,")
    plan_page = client.get(f"/manage/stations/{station.id}/plan").get_data(as_text=True)
    assert f'src="{plan_chart}"' in plan_page
    training_chart = services.training_context(today_local())["chart"]
    assert training_chart
    assert f'src="{training_chart}"' in client.get("/training").get_data(
        as_text=True)
