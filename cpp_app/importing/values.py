"""Turning the text of a cell into dates, yes/no values and lists, or a clear reason why not."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pandas as pd

EXCEL_EPOCH = date(1899, 12, 30)
_EXCEL_SERIAL = re.compile(r"^\d{4,6}(\.\d+)?$")
_LIST_SEPARATORS = re.compile(r"[;,/|]+")

TRUE_WORDS = frozenset({"yes", "y", "true", "t", "1", "x", "active", "on"})
FALSE_WORDS = frozenset({"no", "n", "false", "f", "0", "inactive", "off"})

DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y", "%Y/%m/%d", "%d-%b-%Y", "%b %d, %Y",
                "%B %d, %Y")


class CellError(ValueError):
    """A cell whose text cannot be read as the value it should hold."""


def parse_date(text: str, label: str = "date") -> date | None:
    """A date from ISO, US month/day/year, an Excel serial number or an ISO timestamp."""
    text = text.strip()
    if not text:
        return None
    if _EXCEL_SERIAL.match(text):
        serial = float(text)
        if 1 <= serial < 200_000:
            return EXCEL_EPOCH + timedelta(days=int(serial))
    candidate = text.split("T")[0].split(" ")[0] if re.match(r"^\d{4}-\d{2}-\d{2}", text) else text
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(candidate, fmt).replace(tzinfo=UTC).date()
        except ValueError:
            continue
    raise CellError(f"{label} {text!r} is not a date (use YYYY-MM-DD or MM/DD/YYYY)")


def parse_bool(text: str, label: str, default: bool | None = None) -> bool | None:
    """Yes/no from the many ways spreadsheets write it; blank gives the default."""
    word = text.strip().lower()
    if not word:
        return default
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CellError(f"{label} {text!r} is not yes or no")


def split_list(text: str) -> list[str]:
    """Items of a cell like 'Spanish; Korean' or 'es/ko', trimmed, empty items dropped."""
    return [item.strip() for item in _LIST_SEPARATORS.split(text) if item.strip()]


def split_full_name(text: str) -> tuple[str, str]:
    """('First', 'Last') from 'LAST, FIRST M.' or 'First Last'."""
    text = " ".join(text.split())
    if "," in text:
        last, _, first = text.partition(",")
        return first.strip(), last.strip()
    first, _, last = text.rpartition(" ")
    return (first, last) if first else ("", last)


def tidy_name(text: str) -> str:
    """Names in ALL CAPS become Title Case; mixed-case names are left as typed."""
    text = " ".join(text.split())
    return text.title() if text.isupper() else text


def each_distinct(values: pd.Series, read: Callable[[pd.Series], pd.Series | pd.DataFrame]
                  ) -> pd.Series | pd.DataFrame:
    """`read` applied once to each distinct cell of `values`, its answers spread over the rows.

    A column of a million cells often holds only thousands of distinct texts (dates, times,
    call types); reading those once is what makes a per-cell parser affordable. `read` must
    treat each cell on its own and return one answer (a row, for a frame) per cell, in order.
    """
    codes, distinct = values.factorize(use_na_sentinel=False)
    answers = read(pd.Series(distinct, copy=False))
    spread = answers.take(codes)
    spread.index = values.index
    return spread
