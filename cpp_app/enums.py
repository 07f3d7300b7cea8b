"""Coded values stored as plain text, each carrying the label people see."""

from __future__ import annotations

from enum import StrEnum
from typing import Self

from wtforms.fields.choices import SelectChoice

from cpp_app.choices import select_choices


class LabelledEnum(StrEnum):
    """A set of codes stored as text; each member is declared as `NAME = "code", "Label"`.

    Members are `str`s equal to their code, so they compare equal to the stored text, go into
    queries, JSON and templates as that text, and need no migration.
    """

    _label: str

    def __new__(cls, code: str, label: str) -> Self:
        """A member equal to its code, carrying its label."""
        member = str.__new__(cls, code)
        member._value_ = code
        member._label = label
        return member

    @property
    def label(self) -> str:
        """The code as shown to people."""
        return self._label

    @classmethod
    def has_value(cls, code: object) -> bool:
        """Whether `code` is the code of one of the members."""
        return isinstance(code, str) and code in cls._value2member_map_

    @classmethod
    def label_of(cls, code: str) -> str:
        """The label of a stored code, or the code itself when it is not a member."""
        return cls(code).label if cls.has_value(code) else code

    @classmethod
    def labels(cls) -> dict[Self, str]:
        """Every member with its label, in the order declared."""
        return {member: member.label for member in cls}

    @classmethod
    def choices(cls, blank: str | None = None, leave_out: frozenset = frozenset()
                ) -> list[SelectChoice]:
        """The members as WTForms choices in the order declared.

        An optional empty choice labelled `blank` comes first; the members in `leave_out` are
        left out.
        """
        pairs = [(member.value, member.label) for member in cls if member not in leave_out]
        return select_choices(([("", blank)] if blank is not None else []) + pairs)
