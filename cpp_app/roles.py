"""The roles a user can hold."""

from cpp_app.enums import LabelledEnum


class Role(LabelledEnum):
    """A user's role; what each may do lives in `cpp_app.permissions`."""

    ADMIN = "admin", "Administrator"
    COMMANDER = "commander", "Unit commander"
    STAFF = "staff", "Station staff"
    TRAINING = "training", "Training coordinator"
    VIEWER = "viewer", "Viewer (read-only)"

    @property
    def needs_station(self) -> bool:
        """Whether a user with this role must belong to a station."""
        return self in STATION_SCOPED_ROLES


STATION_SCOPED_ROLES = frozenset({Role.COMMANDER, Role.STAFF})
