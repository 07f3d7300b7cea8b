"""Accounts: user administration and the one way a password is set (every change audited)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import selectinload

from cpp_app.audit import services as audit
from cpp_app.auth import throttle
from cpp_app.auth.login import normalise_email
from cpp_app.auth.models import User
from cpp_app.auth.passwords import check_password_strength
from cpp_app.enums import LabelledEnum
from cpp_app.errors import ServiceError
from cpp_app.extensions import db
from cpp_app.models import utcnow
from cpp_app.roles import Role
from cpp_app.stations.models import Member, Station


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


class PasswordChange(LabelledEnum):
    """Why a password is being set: the audit action it is recorded under, and a note."""

    INITIAL = "user.password_set", "first password"
    ADMIN_RESET = "user.password_reset", "set by an administrator"
    OWN_CHANGE = "user.password_change", "changed by the user"
    FORGOTTEN = "user.password_reset_by_email", "reset through an emailed link"


def validate_password(password: str, user: User | None = None,
                      details: UserDetails | None = None) -> None:
    """Refuse a short, common or guessable password (also one made of the user's own names)."""
    names = [user.email, user.name] if user is not None else []
    if details is not None:
        names += [details.email, details.name]
    check_password_strength(password, names)


def create_user(details: UserDetails, password: str) -> User:
    """Create an account after checking its role, station, member and password."""
    validate_password(password, details=details)
    _check_details(details, user=None)
    user = User(
        email=normalise_email(details.email),
        name=details.name.strip(),
        role=details.role,
        station_id=details.station_id,
        member_id=details.member_id,
        active=details.active,
    )
    user.password_hash = ""
    db.session.add(user)
    audit.record("user.create", user, station_id=user.station_id, summary=user.email)
    reset_password(user, password, reason=PasswordChange.INITIAL)
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


def reset_password(user: User, new_password: str,
                   reason: PasswordChange = PasswordChange.ADMIN_RESET) -> None:
    """The one way a password is set: checked, hashed, dated, and every session of it ends.

    `password_changed_at` is set, the account's failed logins are forgotten, and the change is
    audited under the action of its `reason`.
    """
    validate_password(new_password, user)
    user.set_password(new_password)
    user.password_changed_at = utcnow()
    user.rotate_session_version()
    throttle.forget_account(user.email)
    audit.record(reason.value, entity_type="users", entity_id=user.id,
                 station_id=user.station_id, summary=f"{user.email}: {reason.label}")
    db.session.commit()


def change_own_password(user: User, current_password: str, new_password: str) -> None:
    """A user changes their own password; the current one is required and must differ."""
    if not user.check_password(current_password):
        raise AccountError("That is not your current password.", "current_password")
    if current_password == new_password:
        raise AccountError("Choose a password different from the current one.", "password")
    with audit.acting_as(user.email):
        reset_password(user, new_password, reason=PasswordChange.OWN_CHANGE)


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
