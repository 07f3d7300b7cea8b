"""Charts as SVG from matplotlib: the same image in the page and in the PDF."""

from __future__ import annotations

import base64
import functools
import io

import matplotlib
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

# Figures are made without pyplot, whose global figure registry is not safe across the
# threads of a web worker; with no pyplot there is no display back end to choose either.
matplotlib.rcParams["svg.hashsalt"] = "cpp-manager"  # stable element ids: same chart, same SVG
matplotlib.rcParams["svg.fonttype"] = "none"
# Labels are people's text (call types, station names): a `$` in one is a dollar sign, never
# the start of math text, which would fail to parse and take the whole report with it.
matplotlib.rcParams["text.parse_math"] = False


BAR_INCHES = 0.45
FRAME_INCHES = 1.2  # title, axis and margins
#: Tallest chart that fits on one A4 page under a heading: a taller image would be cut off at
#: the page's foot, so many bars get thinner (and smaller labels) instead.
MAX_HEIGHT_INCHES = 9.0
LABEL_POINTS = 10.0  # matplotlib's default tick label size
VALUE_POINTS = 8.0


def bar_chart(labels: list[str], values: list[float], title: str, unit: str = "",
              counts: bool = False) -> str:
    """A horizontal bar chart as an SVG data URI (empty string when there is nothing to draw).

    With `counts` the values are counts of things, and the axis is marked in whole numbers only.
    """
    if not labels:
        return ""
    return _drawn_bar_chart(tuple(labels), tuple(values), title, unit, counts)


@functools.lru_cache(maxsize=128)
def _drawn_bar_chart(labels: tuple[str, ...], values: tuple[float, ...], title: str,
                     unit: str, counts: bool) -> str:
    """Draw the chart; the same figures give the same SVG, so pages reuse it until they change."""
    height = min(BAR_INCHES * len(labels) + FRAME_INCHES, MAX_HEIGHT_INCHES)
    bar_points = 72 * (height - FRAME_INCHES) / len(labels)
    label_points = min(LABEL_POINTS, 0.8 * bar_points)
    figure = Figure(figsize=(6.5, height))
    axes = figure.subplots()
    positions = range(len(labels))
    axes.barh(list(positions), values, color="#1f5f8b")
    axes.set_yticks(list(positions), labels=labels, fontsize=label_points)
    axes.invert_yaxis()
    if counts:
        axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_title(title, fontsize=11)
    if unit:
        axes.set_xlabel(unit)
    for position, value in zip(positions, values, strict=True):
        axes.text(value, position, f" {value:g}", va="center",
                  fontsize=min(VALUE_POINTS, label_points))
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f"data:image/svg+xml;base64,{encoded}"
