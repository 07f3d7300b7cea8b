"""Matching a file's column headers to the fields an import expects."""

from __future__ import annotations

import re
from dataclasses import dataclass

_NOT_ALPHANUMERIC = re.compile(r"[^0-9a-z]+")


def normalise_header(header: object) -> str:
    """Headers match regardless of case, spacing, punctuation and a byte-order mark."""
    text = str(header or "").replace("\ufeff", "").strip().lower()
    return _NOT_ALPHANUMERIC.sub("", text)


@dataclass(frozen=True)
class FieldSpec:
    """A field an import reads, with the header names that mean it."""

    name: str
    label: str
    aliases: tuple[str, ...] = ()
    required: bool = False

    def header_keys(self) -> tuple[str, ...]:
        """Every normalised header that maps to this field, best first: name, label, aliases.

        The order decides which column wins when a file has several that could mean the field
        (a "full_name" column before a "name" one).
        """
        keys = (self.name, self.label, *self.aliases)
        return tuple(dict.fromkeys(normalise_header(key) for key in keys))


@dataclass(frozen=True)
class OneOf:
    """Columns a file must have one way or another: every field of at least one option.

    `OneOf((("first_name", "last_name"), ("full_name",)), "First name and Last name (or Full
    name)")` asks for both name columns or a full-name column; the label names what is missing.
    """

    options: tuple[tuple[str, ...], ...]
    label: str

    def satisfied_by(self, mapped: set[str] | frozenset[str]) -> bool:
        """Whether the mapped fields hold every field of one of the options."""
        return any(set(option) <= mapped for option in self.options)


class MissingColumnsError(ValueError):
    """The file lacks columns the import needs."""


def missing_columns(fields: list[FieldSpec], alternatives: tuple[OneOf, ...],
                    mapped: set[str] | frozenset[str]) -> list[str]:
    """Labels of what the file lacks: required fields first, then unmet alternatives."""
    missing = [field.label for field in fields if field.required and field.name not in mapped]
    return missing + [choice.label for choice in alternatives if not choice.satisfied_by(mapped)]


def require_columns(fields: list[FieldSpec], alternatives: tuple[OneOf, ...],
                    mapped: set[str] | frozenset[str]) -> None:
    """Raise MissingColumnsError naming every column the file lacks, if any."""
    missing = missing_columns(fields, alternatives, mapped)
    if missing:
        raise MissingColumnsError(f"The file has no column for: {', '.join(missing)}.")


def map_columns(
    headers: list[str],
    fields: list[FieldSpec],
    explicit: dict[str, str] | None = None,
) -> dict[str, str]:
    """Map field names to the file's headers: explicit mapping first, then known aliases.

    A header the explicit mapping sends to no field ("") is ignored: no alias claims it.
    """
    mapping: dict[str, str] = {}
    ignored = {normalise_header(their) for their, field_name in (explicit or {}).items()
               if not field_name}
    by_key = {normalise_header(header): header for header in headers
              if str(header).strip() and normalise_header(header) not in ignored}
    field_names = {field.name for field in fields}
    for their_header, field_name in (explicit or {}).items():
        if not field_name:
            continue
        if field_name not in field_names:
            raise MissingColumnsError(f"The mapping names an unknown field {field_name!r}.")
        key = normalise_header(their_header)
        if key not in by_key:
            raise MissingColumnsError(f"The mapped column {their_header!r} is not in the file.")
        mapping[field_name] = by_key[key]
    for field in fields:
        if field.name in mapping:
            continue
        for key in field.header_keys():
            if key in by_key and by_key[key] not in mapping.values():
                mapping[field.name] = by_key[key]
                break
    return mapping


def header_score(cells: list[object], fields: list[FieldSpec]) -> int:
    """How many fields a candidate header row names (used to skip preamble rows)."""
    keys = {normalise_header(cell) for cell in cells if cell not in (None, "")}
    return sum(1 for field in fields if not keys.isdisjoint(field.header_keys()))
