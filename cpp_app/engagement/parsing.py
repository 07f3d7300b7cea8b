"""Vectorised reading of engagement dates, times, call types and text cells.

A million rows take seconds: each distinct cell is read once, and slow regular expressions run
only on the cells that need them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from cpp_app.engagement.models import KNOWN_CALL_TYPES
from cpp_app.importing.values import each_distinct

EXCEL_EPOCH = pd.Timestamp("1899-12-30")
_CALL_TYPES = {" ".join(name.split()).lower(): name for name in KNOWN_CALL_TYPES}
_CLOCK = r"^(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([AaPp])?\.?[Mm]?\.?$"
_COMPACT = r"^(\d{3,4})$"
#: The quote our own exports put before a cell starting with a formula character.
_FORMULA_QUOTE = r"^'(?=[=+\-@])"
#: ASCII characters Python's `\s` counts as whitespace, besides the plain space.
_ASCII_SPACE_CONTROLS = "[\t\n\x0b\x0c\r\x1c-\x1f]"


def split_date_time(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Split cells like '3/1/2024 13:40' into a date part and a time part."""
    text = values.fillna("").astype(str).str.strip()
    parts = text.str.split(r"\s+|T", n=1, regex=True)
    # Without any time part pandas gives a float column of NaN, which takes no text filler.
    return parts.str[0].fillna(""), parts.str[1].astype(object).fillna("")


def parse_dates(values: pd.Series) -> pd.Series:
    """Dates from 1/3/2017, 01/03/2017, 2017-01-03, Excel serial numbers, or ISO timestamps.

    Unreadable or empty cells become NaT.
    """
    return each_distinct(values, _dates)


def iso_dates(values: pd.Series) -> pd.Series:
    """Each cell's date as YYYY-MM-DD text (as `date.isoformat` writes it); '' if not a date."""
    return each_distinct(values, _iso_text_of_dates)


def _iso_text_of_dates(values: pd.Series) -> pd.Series:
    """The cells' dates as ISO text, '' where unreadable."""
    days = _dates(values).dt.date
    return pd.Series([day.isoformat() if pd.notna(day) else "" for day in days], dtype="str")


def _dates(values: pd.Series) -> pd.Series:
    """Dates of the cells, each format tried in C on the cells still unread, most common first."""
    text = values.fillna("").astype(str).str.strip()
    if text.str.contains("T", regex=False).any():
        text = text.str.replace("T", " ", regex=False)
    text = text.str.split(" ", n=1).str[0].fillna("")
    result = pd.to_datetime(text, format="%m/%d/%Y", errors="coerce")
    for fmt in ("%Y-%m-%d", "%m/%d/%y"):
        unread = result.isna() & (text != "")
        if not unread.any():
            return result
        result[unread] = pd.to_datetime(text[unread], format=fmt, errors="coerce")
    unread = result.isna() & text.str.fullmatch(r"\d{4,6}(\.\d+)?")
    if unread.any():
        days = pd.to_numeric(text[unread], errors="coerce").astype("float64")
        days = days.where((days >= 1) & (days < 200_000))
        result[unread] = EXCEL_EPOCH + pd.to_timedelta(np.floor(days), unit="D")
    return result


def parse_times(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Times from 13:05, 1:05 PM, 1305 or 13:05:00 as 'HH:MM:SS' text.

    Returns (times, unreadable): times is '' where the cell was empty or unreadable;
    unreadable marks non-empty cells that could not be read.
    """
    read = each_distinct(values, _times)
    return read["time"], read["unreadable"]


def _times(values: pd.Series) -> pd.DataFrame:
    """The cells' times and which could not be read.

    The common formats are parsed in C, only the rare leftovers by the slower regular
    expressions.
    """
    text = values.fillna("").astype(str).str.strip()
    compact = text.str.fullmatch(r"\d{3,4}")
    prepared = text.where(~compact, text.str.zfill(4))
    parsed = pd.to_datetime(prepared, format="%H:%M", errors="coerce")
    for fmt in ("%H:%M:%S", "%I:%M %p", "%H%M"):
        unread = parsed.isna() & (prepared != "")
        if not unread.any():
            break
        parsed[unread] = pd.to_datetime(prepared[unread], format=fmt, errors="coerce")
    times = parsed.dt.strftime("%H:%M:%S").fillna("")
    leftovers = parsed.isna() & (text != "")
    if leftovers.any():
        slow_times, slow_unreadable = _parse_times_slowly(text[leftovers])
        times[leftovers] = slow_times
        unreadable = pd.Series(False, index=text.index)
        unreadable[leftovers] = slow_unreadable
        return pd.DataFrame({"time": times.astype(str), "unreadable": unreadable})
    return pd.DataFrame({"time": times.astype(str), "unreadable": False}, index=text.index)


def _parse_times_slowly(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Times by regular expression, for the formats the fast path does not know."""
    hours = pd.Series(np.nan, index=text.index)
    minutes = pd.Series(np.nan, index=text.index)
    seconds = pd.Series(0.0, index=text.index)
    clock = text.str.extract(_CLOCK)
    has_clock = clock[0].notna()
    hours[has_clock] = clock.loc[has_clock, 0].astype(float)
    minutes[has_clock] = clock.loc[has_clock, 1].astype(float)
    seconds[has_clock] = clock.loc[has_clock, 2].fillna("0").astype(float)
    meridiem = clock[3].fillna("").str.lower()
    pm = has_clock & (meridiem == "p") & (hours < 12)
    am_midnight = has_clock & (meridiem == "a") & (hours == 12)
    bad_meridiem = has_clock & (meridiem != "") & ((hours > 12) | (hours == 0))
    hours[pm] += 12
    hours[am_midnight] = 0
    compact = text.str.extract(_COMPACT)[0]
    has_compact = compact.notna()
    numbers = compact[has_compact].astype(int)
    hours[has_compact] = (numbers // 100).astype(float)
    minutes[has_compact] = (numbers % 100).astype(float)
    valid = (hours.between(0, 23) & minutes.between(0, 59) & seconds.between(0, 59)
             & ~bad_meridiem)
    formatted = (hours.fillna(0).astype(int).astype(str).str.zfill(2) + ":"
                 + minutes.fillna(0).astype(int).astype(str).str.zfill(2) + ":"
                 + seconds.fillna(0).astype(int).astype(str).str.zfill(2))
    times = formatted.where(valid, "")
    unreadable = (text != "") & ~valid
    return times, unreadable


def normalise_call_types(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """The canonical name of each known call type (case and spacing ignored); others kept.

    Returns (call types, unknown) where unknown marks call types outside the three known ones.
    """
    read = each_distinct(values, _call_types)
    return read["call_type"], read["unknown"]


def _call_types(values: pd.Series) -> pd.DataFrame:
    """The cells' canonical call types, and which are none of the known ones."""
    text = squeeze_whitespace(values.fillna("").astype(str).str.strip(), " ")
    canonical = text.str.lower().map(_CALL_TYPES)
    unknown = canonical.isna() & (text != "")
    return pd.DataFrame({"call_type": canonical.fillna(text), "unknown": unknown})


def undo_formula_quotes(values: pd.Series) -> pd.Series:
    """Drop the quote our own exports put before a leading =, +, - or @ (only such cells change)."""
    quoted = values.str.startswith("'")
    if not quoted.any():
        return values
    values = values.copy()
    values[quoted] = values[quoted].str.replace(_FORMULA_QUOTE, "", regex=True)
    return values


def squeeze_whitespace(values: pd.Series, replacement: str) -> pd.Series:
    r"""Every run of whitespace (as Python's `\s` reads it) replaced by `replacement`.

    The regular expression runs in Python, cell by cell, so it runs only on the cells it can
    change: those with non-ASCII text, an ASCII whitespace control character, or (when runs
    become one space) two spaces in a row, or (when they go) any space at all.
    """
    spaces = "  " if replacement == " " else " "
    changeable = ~values.str.isascii() | values.str.contains(
        f"{_ASCII_SPACE_CONTROLS}|{spaces}", regex=True)
    if not changeable.any():
        return values
    values = values.copy()
    values[changeable] = values[changeable].str.replace(r"\s+", replacement, regex=True)
    return values
