"""Bursts of responses: minutes in which a survey received far more responses than usual.

A sign of ballot stuffing (one client sending the same answers over and over) that staff can
look into. Only counts per minute are shown, never a response, so nobody can be singled out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import ColumnElement, func, literal_column, select

from cpp_app.extensions import db
from cpp_app.surveys.models import SurveyResponse

#: A minute is a burst when it has at least this many responses …
BURST_MIN_RESPONSES = 5
#: … and at least this many times the rate of the survey's other minutes.
BURST_FACTOR = 5
MINUTE_FORMAT = "%Y-%m-%d %H:%M"


@dataclass(frozen=True)
class BurstMinute:
    """One minute (UTC) with far more responses than the survey's other minutes."""

    minute: datetime
    responses: int
    #: How many times the rate of the other minutes; None when no other minute had any.
    times_usual: float | None


@dataclass(frozen=True)
class BurstReport:
    """The survey's minutes with responses, its usual rate, and the bursts."""

    minutes_with_responses: int
    #: Responses a minute from the first response's minute to the last one's.
    usual: float
    bursts: list[BurstMinute]

    @property
    def responses_in_bursts(self) -> int:
        """Responses that came in the flagged minutes."""
        return sum(burst.responses for burst in self.bursts)


def response_bursts(survey_id: int) -> BurstReport:
    """Count the survey's responses per minute in one query, and flag the bursts.

    A minute is compared with the rate of all the other minutes from the first response to
    the last, so a burst stands out even when it holds most of the responses.
    """
    minute = _minute_of(SurveyResponse.submitted_at)
    rows = [(datetime.strptime(text, MINUTE_FORMAT).replace(tzinfo=UTC), count)
            for text, count in db.session.execute(
                select(minute, func.count()).where(SurveyResponse.survey_id == survey_id)
                .group_by(minute).order_by(minute))]
    if not rows:
        return BurstReport(0, 0.0, [])
    minutes = (rows[-1][0] - rows[0][0]) // timedelta(minutes=1) + 1
    total = sum(count for _, count in rows)
    bursts = []
    for at, count in rows:
        others = (total - count) / (minutes - 1) if minutes > 1 else 0.0
        if count >= max(BURST_MIN_RESPONSES, BURST_FACTOR * others):
            bursts.append(BurstMinute(at, count, round(count / others, 1) if others else None))
    return BurstReport(len(rows), total / minutes, bursts)


def _minute_of(column: ColumnElement) -> ColumnElement:
    """The UTC minute of a timestamp as YYYY-MM-DD HH:MM text, on SQLite and PostgreSQL."""
    if db.session.get_bind().dialect.name == "postgresql":
        return func.to_char(column.op("AT TIME ZONE")(literal_column("'UTC'")),
                            "YYYY-MM-DD HH24:MI")
    return func.strftime(MINUTE_FORMAT, column)
