"""The registry of kinds of import: each feature tells the pipeline what it imports, and how.

The app factory registers every feature's `ImportKind` on the app (`register_import_kind`);
the one entry (`cpp_app.importing.services`), the command helpers and the batch pages look
kinds up by name and know nothing else about the features behind them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from flask import Flask, current_app

from cpp_app.importing.columns import FieldSpec
from cpp_app.importing.pipeline import ImportNote, ImportResult, ImportSpec
from cpp_app.permissions import Action

REGISTRY_KEY = "cpp_import_kinds"

#: Makes a fresh spec for one run from the run's options (e.g. a default course).
SpecFactory = Callable[[Mapping[str, Any]], ImportSpec]
#: Looks at a finished run (its spec and result) and says what else there is to say.
NoteMaker = Callable[[ImportSpec, ImportResult], list[ImportNote]]


@dataclass(frozen=True)
class ImportKind:
    """A kind of import a feature offers: what it reads, who may run it, what follows a run.

    `describe` makes the kind's notes for every run (dry runs too); `after_import` runs only
    after a real import, for work on records imported earlier, and returns notes of its own.
    A `station_scoped` kind may be run by station-bound users: its spec refuses the rows for
    stations outside `ImportSpec.reach`. Any other kind is department-wide, and the entry
    refuses it to a user bound to one station.
    """

    name: str
    label: str
    fields: list[FieldSpec]
    make_spec: SpecFactory
    action: Action
    describe: NoteMaker | None = None
    after_import: NoteMaker | None = None
    chunk_size: int = 5_000
    #: The endpoint of the kind's upload page, if it has one.
    upload_endpoint: str | None = None
    station_scoped: bool = False


class UnknownImportKindError(KeyError):
    """No kind of import is registered under that name."""


def register_import_kind(app: Flask, kind: ImportKind) -> None:
    """Make `kind` known to the app's imports; each name may be registered once."""
    kinds = app.extensions.setdefault(REGISTRY_KEY, {})
    if kind.name in kinds:
        raise ValueError(f"An import kind named {kind.name!r} is already registered.")
    kinds[kind.name] = kind


def import_kinds(app: Flask | None = None) -> dict[str, ImportKind]:
    """Every registered kind of import, by name, in the order they were registered."""
    return (app or current_app).extensions.get(REGISTRY_KEY, {})


def import_kind_labels() -> dict[str, str]:
    """Each registered kind's label, by name: what people read for a batch's kind."""
    return {name: kind.label for name, kind in import_kinds().items()}


def import_kind(name: str) -> ImportKind:
    """The registered kind of import called `name`."""
    try:
        return import_kinds()[name]
    except KeyError:
        raise UnknownImportKindError(name) from None
