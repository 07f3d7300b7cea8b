"""Accounts: authentication with lockout, and user administration (every change audited)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from flask import current_app
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import selectinload

from cpp_app.audit import services as audit
from cpp_app.auth.models import User
from cpp_app.errors import ServiceError
from cpp_app.extensions import db
from cpp_app.models import utcnow
from cpp_app.roles import Role
from cpp_app.stations.models import Member, Station

MIN_PASSWORD_LENGTH = 12


class LoginOutcome(StrEnum):
    """Why a login attempt succeeded or failed."""

    OK = "ok"
    BAD_CREDENTIALS = "bad_credentials"
    LOCKED = "locked"
    INACTIVE = "inactive"


class AccountError(ServiceError):
    """A user change that cannot be made, with a message saying why."""


@dataclass
class UserDetails:
    """What an administrator sets on a user account."""

    email: str
    name: str
    role: str
    station_id: int | None = None
    member_id: int | None = None
    active: bool = True


def find_user_by_email(email: str) -> User | None:
    """The user with this email (case-insensitive), if any."""
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def normalise_email(email: str) -> str:
    """Emails are compared and stored in lower case without surrounding spaces."""
    return email.strip().lower()


def authenticate(email: str, password: str) -> tuple[LoginOutcome, User | None]:
    """Check a login; count failures and lock the account after too many in a row."""
    user = find_user_by_email(email)
    if user is None:
        return LoginOutcome.BAD_CREDENTIALS, None
    if user.is_locked():
        return LoginOutcome.LOCKED, user
    if not user.check_password(password):
        _count_failure(user)
        return (LoginOutcome.LOCKED if user.is_locked() else LoginOutcome.BAD_CREDENTIALS), user
    if not user.active:
        return LoginOutcome.INACTIVE, user
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = utcnow()
    with audit.acting_as(user.email):
        audit.record("user.login", entity_type="users", entity_id=user.id,
                     station_id=user.station_id, summary=user.email)
    db.session.commit()
    return LoginOutcome.OK, user


def _count_failure(user: User) -> None:
    config = current_app.config
    user.failed_logins += 1
    with audit.acting_as(f"login:{user.email}"):
        audit.record("user.login_failed", entity_type="users", entity_id=user.id,
                     station_id=user.station_id,
                     summary=f"failed login {user.failed_logins} in a row")
    if user.failed_logins >= config["CPP_LOGIN_MAX_FAILURES"]:
        user.locked_until = utcnow() + timedelta(minutes=config["CPP_LOGIN_LOCK_MINUTES"])
        user.failed_logins = 0
        with audit.acting_as(f"login:{user.email}"):
            audit.record(
                "user.lock", user, before=None, station_id=user.station_id,
                summary="locked after repeated failed logins",
            )
    db.session.commit()


def end_sessions(user: User) -> None:
    """Log the user out everywhere (on logout, password change, deactivation)."""
    user.rotate_session_version()
    db.session.commit()


def validate_password(password: str) -> None:
    """Refuse passwords that are too short or all one character."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(
            f"The password must be at least {MIN_PASSWORD_LENGTH} characters long.", "password"
        )
    if len(set(password)) < 4:
        raise AccountError("The password needs more than three distinct characters.", "password")


def create_user(details: UserDetails, password: str) -> User:
    """Create an account after checking its role, station, member and password."""
    validate_password(password)
    _check_details(details, user=None)
    user = User(
        email=normalise_email(details.email),
        name=details.name.strip(),
        role=details.role,
        station_id=details.station_id,
        member_id=details.member_id,
        active=details.active,
    )
    user.set_password(password)
    db.session.add(user)
    audit.record("user.create", user, station_id=user.station_id, summary=user.email)
    db.session.commit()
    return user


def update_user(user: User, details: UserDetails) -> User:
    """Change an account's details; deactivating ends its sessions."""
    _check_details(details, user=user)
    before = user.audit_snapshot()
    user.email = normalise_email(details.email)
    user.name = details.name.strip()
    user.role = details.role
    user.station_id = details.station_id
    user.member_id = details.member_id
    if user.active and not details.active:
        user.rotate_session_version()
    user.active = details.active
    audit.record("user.update", user, before=before, station_id=user.station_id,
                 summary=user.email)
    db.session.commit()
    return user


def set_active(user: User, active: bool, acting_user: User | None = None) -> User:
    """Activate or deactivate an account; nobody can deactivate themselves."""
    if acting_user is not None and acting_user.id == user.id and not active:
        raise AccountError("You cannot deactivate your own account.")
    if not active and _is_last_active_admin(user):
        raise AccountError("This is the last active administrator; make another one first.")
    before = user.audit_snapshot()
    if user.active and not active:
        user.rotate_session_version()
    user.active = active
    audit.record("user.activate" if active else "user.deactivate", user, before=before,
                 station_id=user.station_id, summary=user.email)
    db.session.commit()
    return user


def reset_password(user: User, new_password: str) -> None:
    """Set a new password, unlock the account and end its sessions."""
    validate_password(new_password)
    user.set_password(new_password)
    user.password_changed_at = utcnow()
    user.failed_logins = 0
    user.locked_until = None
    user.rotate_session_version()
    audit.record("user.password_reset", user, before=None, station_id=user.station_id,
                 summary=user.email)
    db.session.commit()


def create_admin(email: str, name: str, password: str) -> User:
    """Create an administrator from the command line."""
    return create_user(UserDetails(email=email, name=name, role=Role.ADMIN), password)


def _check_details(details: UserDetails, user: User | None) -> None:
    email = normalise_email(details.email)
    existing = find_user_by_email(email)
    if existing is not None and existing is not user:
        raise AccountError(f"Another account already uses {email}.", "email")
    try:
        role = Role(details.role)
    except ValueError as error:
        raise AccountError(f"Unknown role {details.role!r}.", "role") from error
    if role.needs_station and details.station_id is None:
        raise AccountError(f"A {role.label.lower()} must belong to a station.", "station_id")
    if details.station_id is not None and db.session.get(Station, details.station_id) is None:
        raise AccountError("That station does not exist.", "station_id")
    if details.member_id is not None:
        if db.session.get(Member, details.member_id) is None:
            raise AccountError("That member does not exist.", "member_id")
        linked = db.session.scalar(select(User).where(User.member_id == details.member_id))
        if linked is not None and linked is not user:
            raise AccountError(f"That member is already linked to {linked.email}.", "member_id")
    _keep_an_active_admin(details, role, user)


def _keep_an_active_admin(details: UserDetails, role: Role, user: User | None) -> None:
    """Refuse an edit that would leave no active administrator (role change or deactivation)."""
    if user is None or not _is_last_active_admin(user):
        return
    if role != Role.ADMIN:
        raise AccountError("This is the last active administrator; keep the role.", "role")
    if not details.active:
        raise AccountError("This is the last active administrator; keep the account active.",
                           "active")


def _is_last_active_admin(user: User) -> bool:
    if user.role != Role.ADMIN or not user.active:
        return False
    active_admins = db.session.scalar(
        select(func.count()).select_from(User).where(User.role == Role.ADMIN, User.active)
    )
    return active_admins <= 1


@dataclass
class UserFilter:
    """Filters for the user list."""

    search: str = ""
    role: str = ""
    station_id: int | None = None
    active: bool | None = True


def user_query(filters: UserFilter) -> Select:
    """Users matching the filters, by name, with station and member loaded."""
    query = (
        select(User)
        .options(selectinload(User.station), selectinload(User.member))
        .order_by(User.name, User.email)
    )
    if filters.search:
        pattern = f"%{filters.search.strip().lower()}%"
        query = query.where(
            or_(func.lower(User.name).like(pattern), func.lower(User.email).like(pattern))
        )
    if filters.role:
        query = query.where(User.role == filters.role)
    if filters.station_id is not None:
        query = query.where(User.station_id == filters.station_id)
    if filters.active is not None:
        query = query.where(User.active == filters.active)
    return query
