"""Users with a known password."""

from __future__ import annotations

from cpp_app.auth.models import User
from cpp_app.extensions import db
from cpp_app.stations.models import Station
from tests.factories.base import fresh_transaction, next_number

PASSWORD = "correct horse battery staple"


def make_user(role: str = "admin", station: Station | None = None, email: str | None = None,
              password: str = PASSWORD, **fields) -> User:
    """A saved, active user with a known password."""
    fresh_transaction()
    number = next_number()
    user = User(
        email=email or f"{role}{number}@example.org",
        name=fields.pop("name", f"{role.title()} {number}"),
        role=role,
        station_id=station.id if station else None,
        **fields,
    )
    user.set_password(password)
    db.session.add(user)
    db.session.commit()
    return user
