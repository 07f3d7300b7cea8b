"""Who may do what, at which station: the one place that decides.

Views ask `can(user, action, station_id)` or use `@permission_required(action)`; templates
use `can` too (it is a Jinja global). A new action is added here, with its rule, and nowhere else.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from functools import wraps
from typing import Any

from flask import abort
from flask_login import current_user, login_required

from cpp_app.roles import Role


class Action(StrEnum):
    """Things a user may be allowed to do."""

    VIEW_DASHBOARD = "view_dashboard"
    VIEW_STATIONS = "view_stations"
    MANAGE_STATIONS = "manage_stations"
    VIEW_MEMBERS = "view_members"
    MANAGE_MEMBERS = "manage_members"
    IMPORT_MEMBERS = "import_members"
    MANAGE_USERS = "manage_users"
    VIEW_AUDIT = "view_audit"
    VIEW_IMPORTS = "view_imports"
    VIEW_PLANS = "view_plans"
    EDIT_PLANS = "edit_plans"
    MOVE_RESPONSE_STATUS = "move_response_status"
    WRITE_UPDATES = "write_updates"
    REVIEW_UPDATES = "review_updates"
    VIEW_SURVEYS = "view_surveys"
    MANAGE_SURVEYS = "manage_surveys"
    VIEW_MEETINGS = "view_meetings"
    LOG_MEETINGS = "log_meetings"
    VIEW_OUTREACH = "view_outreach"
    LOG_OUTREACH = "log_outreach"
    IMPORT_STAKEHOLDERS = "import_stakeholders"
    VIEW_LANGUAGE_ACCESS = "view_language_access"
    MANAGE_VOLUNTEERS = "manage_volunteers"
    VIEW_TRAINING = "view_training"
    MANAGE_TRAINING = "manage_training"
    VIEW_ENGAGEMENT = "view_engagement"
    IMPORT_ENGAGEMENT = "import_engagement"
    MANAGE_ENGAGEMENT_LINKS = "manage_engagement_links"
    MANAGE_ENGAGEMENT_RULES = "manage_engagement_rules"


EVERY_ROLE = frozenset(Role)

#: Roles allowed each action, before station scoping.
ROLES_FOR_ACTION: dict[Action, frozenset[Role]] = {
    Action.VIEW_DASHBOARD: EVERY_ROLE,
    Action.VIEW_STATIONS: EVERY_ROLE,
    Action.MANAGE_STATIONS: frozenset({Role.ADMIN}),
    Action.VIEW_MEMBERS: EVERY_ROLE,
    Action.MANAGE_MEMBERS: frozenset({Role.ADMIN}),
    Action.IMPORT_MEMBERS: frozenset({Role.ADMIN}),
    Action.MANAGE_USERS: frozenset({Role.ADMIN}),
    Action.VIEW_AUDIT: frozenset({Role.ADMIN}),
    Action.VIEW_IMPORTS: frozenset({Role.ADMIN}),
    Action.VIEW_PLANS: EVERY_ROLE,
    Action.EDIT_PLANS: frozenset({Role.ADMIN, Role.COMMANDER}),
    Action.MOVE_RESPONSE_STATUS: frozenset({Role.ADMIN, Role.COMMANDER, Role.STAFF}),
    Action.WRITE_UPDATES: frozenset({Role.ADMIN, Role.COMMANDER}),
    Action.REVIEW_UPDATES: frozenset({Role.ADMIN}),
    Action.VIEW_SURVEYS: EVERY_ROLE,
    Action.MANAGE_SURVEYS: frozenset({Role.ADMIN, Role.COMMANDER}),
    Action.VIEW_MEETINGS: EVERY_ROLE,
    Action.LOG_MEETINGS: frozenset({Role.ADMIN, Role.COMMANDER, Role.STAFF}),
    Action.VIEW_OUTREACH: frozenset({Role.ADMIN, Role.VIEWER, Role.COMMANDER, Role.STAFF}),
    Action.LOG_OUTREACH: frozenset({Role.ADMIN, Role.COMMANDER, Role.STAFF}),
    Action.IMPORT_STAKEHOLDERS: frozenset({Role.ADMIN, Role.COMMANDER}),
    Action.VIEW_LANGUAGE_ACCESS: EVERY_ROLE,
    Action.MANAGE_VOLUNTEERS: frozenset({Role.ADMIN, Role.COMMANDER, Role.STAFF}),
    Action.VIEW_TRAINING: frozenset({Role.ADMIN, Role.TRAINING, Role.VIEWER, Role.COMMANDER}),
    Action.MANAGE_TRAINING: frozenset({Role.ADMIN, Role.TRAINING}),
    Action.VIEW_ENGAGEMENT: EVERY_ROLE,
    # Station-bound roles import their own station's records (rows for others are refused).
    Action.IMPORT_ENGAGEMENT: frozenset({Role.ADMIN, Role.COMMANDER, Role.STAFF}),
    # Department-wide linking: unknown shield numbers and location rules.
    Action.MANAGE_ENGAGEMENT_LINKS: frozenset({Role.ADMIN}),
    Action.MANAGE_ENGAGEMENT_RULES: frozenset({Role.ADMIN, Role.COMMANDER}),
}

#: Roles whose reach is limited to their own station for station-scoped actions.
STATION_BOUND_ROLES = frozenset({Role.COMMANDER, Role.STAFF})


def can(user: Any, action: Action | str, station_id: int | None = None) -> bool:
    """Whether `user` may perform `action`, at `station_id` when the action concerns one.

    Commanders and staff reach only their own station's data; other roles are
    department-wide. With no station given, the check is whether the role may do the
    action anywhere (lists are then narrowed with `station_scope`).
    """
    if user is None or not getattr(user, "is_authenticated", False) or not user.active:
        return False
    role = Role(user.role)
    if role not in ROLES_FOR_ACTION[Action(action)]:
        return False
    if station_id is not None and role in STATION_BOUND_ROLES:
        return user.station_id == station_id
    return True


def station_scope(user: Any) -> int | None:
    """The only station a user's lists may show, or None when they see every station."""
    if Role(user.role) in STATION_BOUND_ROLES:
        return user.station_id if user.station_id is not None else -1
    return None


def require(action: Action | str, station_id: int | None = None) -> None:
    """Abort with 403 unless the current user may perform `action` (at `station_id`)."""
    if not can(current_user, action, station_id):
        abort(403)


def permission_required(action: Action) -> Callable:
    """Decorate a view: login required, then the action must be allowed for the role."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        @login_required
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            require(action)
            return view(*args, **kwargs)

        wrapped.required_action = action
        return wrapped

    return decorator


def can_move_response_status(user: Any, response: Any) -> bool:
    """Commanders and admins move any response at their reach; staff only the ones they own."""
    station_id = response.plan.station_id
    if not can(user, Action.MOVE_RESPONSE_STATUS, station_id):
        return False
    if Role(user.role) is Role.STAFF:
        return user.member_id is not None and user.member_id == response.owner_member_id
    return True


def can_manage_survey(user: Any, survey: Any) -> bool:
    """Admins manage every survey; commanders only their own station's (not department-wide)."""
    if survey.station_id is None:
        return can(user, Action.MANAGE_SURVEYS) and Role(user.role) is Role.ADMIN
    return can(user, Action.MANAGE_SURVEYS, survey.station_id)


def can_view_survey(user: Any, survey: Any) -> bool:
    """Department-wide surveys are visible to every role; station surveys within reach."""
    if survey.station_id is None:
        return can(user, Action.VIEW_SURVEYS)
    return can(user, Action.VIEW_SURVEYS, survey.station_id)


def can_manage_volunteer(user: Any, station_id: int | None) -> bool:
    """Whether `user` may keep a volunteer of `station_id` (None: department-wide).

    Station-bound roles keep their own station's volunteers only; department-wide volunteers
    belong to the department-wide roles.
    """
    if station_id is None:
        return can(user, Action.MANAGE_VOLUNTEERS) and station_scope(user) is None
    return can(user, Action.MANAGE_VOLUNTEERS, station_id)
