"""The error every feature's services raise for a change that cannot be made."""

from __future__ import annotations


class ServiceError(ValueError):
    """A change refused with a message for people, naming the form field it concerns if any."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field
