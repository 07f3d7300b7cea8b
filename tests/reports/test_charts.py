"""Charts of counts are marked in whole numbers: no 0.5 of a meeting on an axis."""

from __future__ import annotations

import base64
import re

from cpp_app.charts import bar_chart
from cpp_app.plans.services import response_kinds_chart
from cpp_app.reports.services import annual_charts
from tests.factories.plans import adopted_plan

TICK_LABEL = re.compile(r'<g id="xtick_\d+">.*?<text[^>]*>([^<]*)</text>', re.DOTALL)


def tick_labels(chart: str) -> list[str]:
    """The labels of the value axis of an SVG chart given as a data URL."""
    svg = base64.b64decode(chart.split(",", 1)[1]).decode()
    return TICK_LABEL.findall(svg)


def assert_whole_numbers(labels: list[str]) -> None:
    """Every label is a whole number, and there are a few of them."""
    assert len(labels) >= 2, labels
    assert all(re.fullmatch(r"\d+", label.replace(",", "")) for label in labels), labels


def test_a_chart_of_small_counts_has_whole_number_ticks():
    assert_whole_numbers(tick_labels(bar_chart(["A", "B"], [1, 2], "Few", counts=True)))


def test_a_chart_of_shares_keeps_fractional_ticks():
    labels = tick_labels(bar_chart(["A", "B"], [0.5, 1.5], "Shares", "%"))
    assert any("." in label for label in labels), labels


def test_the_annual_reports_engagement_charts_count_in_whole_numbers():
    charts = annual_charts({"by_type": {"COP Activity": {"2026-01": 1},
                                        "COP Relationships": {"2026-02": 2}},
                            "by_station": [("CEN", 2), ("NTH", 1)]})
    assert_whole_numbers(tick_labels(charts["type_chart"]))
    assert_whole_numbers(tick_labels(charts["station_chart"]))


def test_the_plans_chart_of_responses_counts_in_whole_numbers(station):
    plan = adopted_plan(station, responses=2)
    assert_whole_numbers(tick_labels(response_kinds_chart(plan)))
