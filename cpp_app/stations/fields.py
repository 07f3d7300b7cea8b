"""Form fields that read members and languages at the boundary.

A shield number (or several) must belong to a member, and a language (or several) is given by
name or code. An unknown one is an error beside the field.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import StringField, ValidationError

from cpp_app.forms import optional_unless_required, split_items
from cpp_app.stations.languages import (
    COMMON_LANGUAGE_CODES,
    language_code_for,
    language_name,
    sorted_language_names,
)
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
    """Languages, chosen by ticking the common ones or typing any other by English name or code.

    The form shows the common languages and those already chosen as checkboxes, and a text box
    with every language's name to pick from (several may be typed, separated by commas or
    semicolons: 'Spanish; ko'). Every value posted under the field's name is read the same way,
    so a plain text field posting 'Spanish, ko' works too. After validation `codes` holds the
    language codes in the order given, without repeats; an unknown language is an error beside
    the field that names it.
    """

    def __init__(self, label: str | None = None, validators: list | None = None,
                 **kwargs: object) -> None:
        super().__init__(label, optional_unless_required(validators, 2000), **kwargs)
        self.codes: list[str] = []
        self.chosen: list[str] = []
        self.unknown: list[str] = []

    def process_data(self, value: object) -> None:
        """Start from the object's languages (codes, or rows with a `language_code`)."""
        if isinstance(value, list | tuple):
            self.show([getattr(item, "language_code", item) for item in value])
        else:
            super().process_data(value)

    def process_formdata(self, valuelist: list[str]) -> None:
        """Read every value posted (ticked codes and typed text); none posted is no languages.

        Without this, the object's own value (a list, not text) would stand in for it.
        """
        self.chosen, self.unknown = [], []
        for item in (item for value in valuelist for item in split_items(value)):
            code = language_code_for(item)
            if code is None:
                self.unknown.append(item)
            elif code not in self.chosen:
                self.chosen.append(code)
        self.data = ", ".join(self.chosen + self.unknown)

    def post_validate(self, _form: FlaskForm, validation_stopped: bool) -> None:
        """Refuse any language not known by that name or code, naming it."""
        self.codes = []
        if validation_stopped:
            return
        if len(self.unknown) == 1:
            raise ValidationError(f"“{self.unknown[0]}” is not a language name or code.")
        if self.unknown:
            named = ", ".join(f"“{item}”" for item in self.unknown)
            raise ValidationError(f"{named} are not language names or codes.")
        self.codes = list(self.chosen)

    def show(self, codes: list[str]) -> None:
        """Fill the field with language codes."""
        self.chosen, self.unknown = list(codes), []
        self.data = ", ".join(self.chosen)

    def _value(self) -> str:
        """What the text box shows: only what could not be read (the rest are ticked)."""
        return ", ".join(self.unknown)

    @property
    def common_options(self) -> list[tuple[str, str, bool]]:
        """The common community languages as (code, English name, chosen), for checkboxes."""
        return [(code, language_name(code), code in self.chosen)
                for code in COMMON_LANGUAGE_CODES]

    @property
    def other_chosen(self) -> list[tuple[str, str]]:
        """The chosen languages that are not among the common ones, as (code, English name)."""
        return [(code, language_name(code)) for code in self.chosen
                if code not in COMMON_LANGUAGE_CODES]

    @property
    def suggested_names(self) -> list[str]:
        """Every language's English name, in alphabetical order, to suggest while typing."""
        return sorted_language_names()


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

    @property
    def suggested_names(self) -> list[str]:
        """Every language's English name, in alphabetical order, to suggest while typing."""
        return sorted_language_names()
