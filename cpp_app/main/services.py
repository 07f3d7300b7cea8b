"""Figures for the home page."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, select

from cpp_app.auth.models import User
from cpp_app.extensions import db
from cpp_app.permissions import station_scope
from cpp_app.stations.models import EmploymentType, Member, Station


@dataclass(frozen=True)
class DepartmentSummary:
    """Headline counts for the home page."""

    stations: int
    active_members: int
    patrol_members: int
    sworn_members: int
    stations_without_commander: int
    active_users: int


def department_summary(user) -> DepartmentSummary:
    """Counts over the user's reach (their station for commanders and staff), in three queries."""
    scope = station_scope(user)
    member_counts = select(
        func.count(),
        func.coalesce(func.sum(case((Member.assigned_to_patrol, 1), else_=0)), 0),
        func.coalesce(func.sum(case((Member.employment_type == EmploymentType.SWORN, 1),
                                    else_=0)), 0),
    ).where(Member.active)
    station_counts = select(
        func.count(),
        func.coalesce(func.sum(case((Station.commander_member_id.is_(None), 1), else_=0)), 0),
    )
    if scope is not None:
        member_counts = member_counts.where(Member.station_id == scope)
        station_counts = station_counts.where(Station.id == scope)
    active, patrol, sworn = db.session.execute(member_counts).one()
    stations, without_commander = db.session.execute(station_counts).one()
    users = db.session.scalar(select(func.count()).select_from(User).where(User.active))
    return DepartmentSummary(
        stations=stations,
        active_members=active,
        patrol_members=patrol,
        sworn_members=sworn,
        stations_without_commander=without_commander,
        active_users=users,
    )
