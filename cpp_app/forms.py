"""Forms and form fields every feature shares."""

from __future__ import annotations

import re

from flask_wtf import FlaskForm
from wtforms import StringField, SubmitField, ValidationError
from wtforms.validators import Length, Optional

from cpp_app.stations.models import Member
from cpp_app.stations.services import find_member

_ITEM_SEPARATORS = re.compile(r"[,;]")


def split_items(text: str) -> list[str]:
    """The items of a comma- or semicolon-separated list, trimmed, empty ones dropped."""
    return [item.strip() for item in _ITEM_SEPARATORS.split(text) if item.strip()]


class ConfirmForm(FlaskForm):
    """An empty form that carries the CSRF token for a confirmed action."""

    submit = SubmitField("Confirm")


class ShieldNumberField(StringField):
    """A shield number that must belong to a department member.

    Empty is allowed (add DataRequired to insist); after validation `member` is the member
    the number belongs to, or None, and an unknown number is an error beside the field.
    """

    def __init__(self, label: str | None = None, validators: list | None = None,
                 **kwargs: object) -> None:
        super().__init__(label, [Optional(), Length(max=20), *(validators or [])], **kwargs)
        self.member: Member | None = None

    def post_validate(self, form: FlaskForm, validation_stopped: bool) -> None:
        """Look the number up once the other checks have passed."""
        self.member = None
        shield = (self.data or "").strip()
        if validation_stopped or not shield:
            return
        self.member = find_member(shield)
        if self.member is None:
            raise ValidationError(f"No member has shield number {shield}.")

    @property
    def member_id(self) -> int | None:
        """The id of the member the number belongs to (None when empty)."""
        return self.member.id if self.member is not None else None

    def show(self, member: Member | None) -> None:
        """Fill the field with a member's shield number (empty for none)."""
        self.data = member.shield_number if member is not None else ""


class ShieldNumberListField(StringField):
    """Several shield numbers separated by commas or semicolons, each a member's.

    After validation `members` holds the members in the order given; an unknown number is an
    error beside the field.
    """

    def __init__(self, label: str | None = None, validators: list | None = None,
                 **kwargs: object) -> None:
        super().__init__(label, [Optional(), Length(max=2000), *(validators or [])], **kwargs)
        self.members: list[Member] = []

    def post_validate(self, form: FlaskForm, validation_stopped: bool) -> None:
        """Look every number up once the other checks have passed."""
        self.members = []
        if validation_stopped:
            return
        for shield in split_items(self.data or ""):
            member = find_member(shield)
            if member is None:
                raise ValidationError(f"No member has shield number {shield}.")
            self.members.append(member)

    @property
    def member_ids(self) -> list[int]:
        """The ids of the members named, in the order given."""
        return [member.id for member in self.members]
