"""The figures an update cites, computed live while it is written and frozen when submitted.

Engagement on each problem before and after its responses started, the station's engagement in
the period by type, the surveys and meetings of the period with their headline results, and the
station's training compliance. Once the update is submitted its page, PDF and public page read
the frozen copy, so data or linking rules that arrive later do not change what it said.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date

from sqlalchemy import func, select

from cpp_app.engagement.models import EngagementRecord
from cpp_app.engagement.services import BeforeAfter, problem_activity
from cpp_app.extensions import db
from cpp_app.training.compliance import compliance_frame, current_rule, summarise
from cpp_app.updates.models import PlanUpdate
from cpp_app.updates.sources import CandidateSource, period_candidates


@dataclass
class TrainingFigures:
    """The station's members counted against the training rule, and how many meet it."""

    hours: float
    members: int
    counted: int
    compliant: int

    @property
    def percent(self) -> float | None:
        """Compliant share of the members counted."""
        return None if not self.counted else round(100 * self.compliant / self.counted, 1)


@dataclass
class CitedFigures:
    """Everything the update cites, as of `computed_on` (frozen once submitted)."""

    computed_on: date
    frozen: bool
    activity: dict[int, BeforeAfter]
    engagement_by_type: list[tuple[str, int]]
    candidates: list[CandidateSource]
    training: TrainingFigures | None = None

    @property
    def engagement_total(self) -> int:
        """The station's engagement records in the update's period."""
        return sum(count for _, count in self.engagement_by_type)

    def to_json(self) -> dict:
        """The figures as JSON-ready data, for the update's snapshot column."""
        return {
            "computed_on": self.computed_on.isoformat(),
            "activity": [{**asdict(item), "started_on": _iso(item.started_on)}
                         for item in self.activity.values()],
            "engagement_by_type": [list(pair) for pair in self.engagement_by_type],
            "candidates": [{**asdict(item), "held_on": _iso(item.held_on)}
                           for item in self.candidates],
            "training": asdict(self.training) if self.training else None,
        }

    @classmethod
    def from_json(cls, data: dict) -> CitedFigures:
        """The frozen figures read back from the update's snapshot column."""
        activity = [BeforeAfter(**{**item, "started_on": _day(item["started_on"])})
                    for item in data.get("activity", [])]
        candidates = [CandidateSource(**{**item, "held_on": _day(item["held_on"])})
                      for item in data.get("candidates", [])]
        training = data.get("training")
        return cls(date.fromisoformat(data["computed_on"]), True,
                   {item.problem_id: item for item in activity},
                   [(name, int(count)) for name, count in data.get("engagement_by_type", [])],
                   candidates, TrainingFigures(**training) if training else None)


def live_figures(update: PlanUpdate, today: date) -> CitedFigures:
    """The figures as the data stand today."""
    return CitedFigures(
        computed_on=today, frozen=False,
        activity=problem_activity([p.id for p in update.plan.problems], today),
        engagement_by_type=station_engagement_by_type(update),
        candidates=period_candidates(update),
        training=station_training(update.station_id, today),
    )


def update_figures(update: PlanUpdate, today: date) -> CitedFigures:
    """What the update cites: the frozen copy once submitted, live while it is being written."""
    if update.cited_figures is not None and not update.is_editable:
        return CitedFigures.from_json(update.cited_figures)
    return live_figures(update, today)


def frozen_figures(update: PlanUpdate, today: date) -> dict[str, object]:
    """The update's fields that keep today's figures with it (the caller sets and audits them)."""
    return {"cited_figures": live_figures(update, today).to_json(), "figures_frozen_on": today}


def station_engagement_by_type(update: PlanUpdate) -> list[tuple[str, int]]:
    """The station's engagement records in the update's period, per call type, most first."""
    rows = db.session.execute(
        select(EngagementRecord.call_type, func.count())
        .where(EngagementRecord.station_id == update.station_id,
               EngagementRecord.occurred_on >= update.period_start,
               EngagementRecord.occurred_on <= update.period_end)
        .group_by(EngagementRecord.call_type)).all()
    return sorted(((name, int(count)) for name, count in rows), key=lambda p: (-p[1], p[0]))


def station_training(station_id: int, today: date) -> TrainingFigures | None:
    """The station's compliance with the training rule today (None without members)."""
    rule = current_rule()
    _department, stations = summarise(compliance_frame(rule, today, station_id))
    mine = next((s for s in stations if s.station_id == station_id), None)
    if mine is None:
        return None
    return TrainingFigures(rule.hours, mine.members, mine.counted, mine.compliant)


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None
