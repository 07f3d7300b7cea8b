"""Bursts of responses: minutes in which a survey received far more responses than usual.

A sign of ballot stuffing (one client sending the same answers over and over) that staff can
look into. Only counts per minute are shown, never a response, so nobody can be singled out.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import ColumnElement, func, literal_column, select

from cpp_app.extensions import db
from cpp_app.surveys.models import SurveyResponse

#: A minute is a burst when it has at least this many responses …
BURST_MIN_RESPONSES = 5
#: … and at least this many times the usual count of a minute with responses.
BURST_FACTOR = 5
MINUTE_FORMAT = "%Y-%m-%d %H:%M"


@dataclass(frozen=True)
class BurstMinute:
    """One minute (UTC) with far more responses than usual."""

    minute: datetime
    responses: int
    times_usual: float


@dataclass(frozen=True)
class BurstReport:
    """The survey's minutes with responses, what is usual, and the bursts."""

    minutes_with_responses: int
    usual: float
    threshold: int
    bursts: list[BurstMinute]

    @property
    def responses_in_bursts(self) -> int:
        """Responses that came in the flagged minutes."""
        return sum(burst.responses for burst in self.bursts)


def response_bursts(survey_id: int) -> BurstReport:
    """Count the survey's responses per minute in one query, and flag the bursts.

    Usual is the median count of the minutes that had any response.
    """
    minute = _minute_of(SurveyResponse.submitted_at)
    rows = db.session.execute(
        select(minute, func.count()).where(SurveyResponse.survey_id == survey_id)
        .group_by(minute).order_by(minute)).all()
    counts = [count for _, count in rows]
    usual = float(statistics.median(counts)) if counts else 0.0
    threshold = max(BURST_MIN_RESPONSES, int(BURST_FACTOR * usual + 0.999))
    bursts = [
        BurstMinute(datetime.strptime(text, MINUTE_FORMAT).replace(tzinfo=UTC), count,
                    round(count / usual, 1))
        for text, count in rows if count >= threshold
    ]
    return BurstReport(len(counts), usual, threshold, bursts)


def _minute_of(column: ColumnElement) -> ColumnElement:
    """The UTC minute of a timestamp as YYYY-MM-DD HH:MM text, on SQLite and PostgreSQL."""
    if db.session.get_bind().dialect.name == "postgresql":
        return func.to_char(column.op("AT TIME ZONE")(literal_column("'UTC'")),
                            "YYYY-MM-DD HH24:MI")
    return func.strftime(MINUTE_FORMAT, column)
