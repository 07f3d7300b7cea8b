"""Form fields that read members and languages at the boundary.

A shield number (or several) must belong to a member, and a language (or several) is given by
name or code. An unknown one is an error beside the field.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField, ValidationError

from cpp_app.forms import optional_unless_required, split_items
from cpp_app.stations.languages import language_code_for, language_name
from cpp_app.stations.models import Member
from cpp_app.stations.services import find_member


class ShieldNumberField(StringField):
    """A shield number that must belong to a department member.

    Empty is allowed unless a DataRequired validator is given. After validation `member` is
    the member the number belongs to, or None; an unknown number is an error beside the field.
    """

    def __init__(self, label: str | None = None, validators: list | None = None,
                 **kwargs: object) -> None:
        super().__init__(label, optional_unless_required(validators, 20), **kwargs)
        self.member: Member | None = None

    def post_validate(self, _form: FlaskForm, validation_stopped: bool) -> None:
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
        super().__init__(label, optional_unless_required(validators, 2000), **kwargs)
        self.members: list[Member] = []

    def post_validate(self, _form: FlaskForm, validation_stopped: bool) -> None:
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


class LanguageListField(StringField):
    """Languages by English name or code, separated by commas or semicolons ('Spanish; ko').

    After validation `codes` holds the language codes in the order given, without repeats;
    an unknown language is an error beside the field.
    """

    def __init__(self, label: str | None = None, validators: list | None = None,
                 **kwargs: object) -> None:
        super().__init__(label, optional_unless_required(validators, 200), **kwargs)
        self.codes: list[str] = []

    def process_data(self, value: object) -> None:
        """Show the object's languages (codes, or rows with a `language_code`) as text."""
        if isinstance(value, list | tuple):
            value = ", ".join(getattr(item, "language_code", item) for item in value)
        super().process_data(value)

    def process_formdata(self, valuelist: list[str]) -> None:
        """Read what was posted; a form posted without this field gives no languages.

        Without this, the object's own value (a list, not text) would stand in for it.
        """
        self.data = valuelist[0] if valuelist else ""

    def post_validate(self, _form: FlaskForm, validation_stopped: bool) -> None:
        """Read every language once the other checks have passed."""
        self.codes = []
        if validation_stopped:
            return
        for item in split_items(self.data or ""):
            code = language_code_for(item)
            if code is None:
                raise ValidationError(f"“{item}” is not a language name or code.")
            if code not in self.codes:
                self.codes.append(code)

    def show(self, codes: list[str]) -> None:
        """Fill the field with language codes."""
        self.data = ", ".join(codes)


class LanguageField(StringField):
    """One language by English name or code; after validation `code` holds its code."""

    def __init__(self, label: str | None = None, validators: list | None = None,
                 **kwargs: object) -> None:
        super().__init__(label, optional_unless_required(validators, 60), **kwargs)
        self.code: str | None = None

    def post_validate(self, _form: FlaskForm, validation_stopped: bool) -> None:
        """Read the language once the other checks have passed."""
        text = (self.data or "").strip()
        self.code = None
        if validation_stopped or not text:
            return
        self.code = language_code_for(text)
        if self.code is None:
            raise ValidationError(f"“{text}” is not a language name or code.")

    def show(self, code: str | None) -> None:
        """Fill the field with a language's English name."""
        self.data = language_name(code) if code else ""
