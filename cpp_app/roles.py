"""The roles a user can hold."""

from enum import StrEnum


class Role(StrEnum):
    """A user's role; what each may do lives in `cpp_app.permissions`."""

    ADMIN = "admin"
    COMMANDER = "commander"
    STAFF = "staff"
    TRAINING = "training"
    VIEWER = "viewer"

    @property
    def label(self) -> str:
        """The role's name as shown to people."""
        return ROLE_LABELS[self]

    @property
    def needs_station(self) -> bool:
        """Whether a user with this role must belong to a station."""
        return self in STATION_SCOPED_ROLES


ROLE_LABELS = {
    Role.ADMIN: "Administrator",
    Role.COMMANDER: "Unit commander",
    Role.STAFF: "Station staff",
    Role.TRAINING: "Training coordinator",
    Role.VIEWER: "Viewer (read-only)",
}

STATION_SCOPED_ROLES = frozenset({Role.COMMANDER, Role.STAFF})
