"""Charts as SVG from matplotlib: the same image in the page and in the PDF."""

from __future__ import annotations

import base64
import io

import matplotlib

matplotlib.use("Agg")  # no display: render to files only
import matplotlib.pyplot as plt  # noqa: E402

plt.rcParams["svg.hashsalt"] = "cpp-manager"  # stable element ids: identical charts, same SVG
plt.rcParams["svg.fonttype"] = "none"


def bar_chart(labels: list[str], values: list[float], title: str, unit: str = "") -> str:
    """A horizontal bar chart as an SVG data URI (empty string when there is nothing to draw)."""
    if not labels:
        return ""
    height = 0.45 * len(labels) + 1.2
    figure, axes = plt.subplots(figsize=(6.5, height))
    try:
        positions = range(len(labels))
        axes.barh(list(positions), values, color="#1f5f8b")
        axes.set_yticks(list(positions), labels=labels)
        axes.invert_yaxis()
        axes.set_title(title, fontsize=11)
        if unit:
            axes.set_xlabel(unit)
        for position, value in zip(positions, values, strict=True):
            axes.text(value, position, f" {value:g}", va="center", fontsize=8)
        axes.spines[["top", "right"]].set_visible(False)
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    finally:
        plt.close(figure)
    encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f"data:image/svg+xml;base64,{encoded}"
