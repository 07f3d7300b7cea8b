"""What an import run comes to: counts of what writing did, planned changes, notes, the result."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cpp_app.importing.models import ImportBatch, ImportReject


@dataclass(frozen=True)
class PlannedChange:
    """What a row of a dry run would add or update, in words, by its line."""

    line_number: int
    action: str  # "add" or "update"
    text: str


@dataclass
class WriteCounts:
    """What writing one batch of valid rows did (and, on a dry run, each change it made)."""

    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[tuple[int, str, dict]] = field(default_factory=list)
    changes: list[PlannedChange] = field(default_factory=list)

    def add(self, other: WriteCounts) -> None:
        """Accumulate another batch's counts."""
        self.inserted += other.inserted
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.rejected.extend(other.rejected)
        self.changes.extend(other.changes)


@dataclass(frozen=True)
class ImportNote:
    """Something a kind of import has to say about one run, beyond the counts.

    `value` is for code (a page or command formats it its own way); `text` is one line for
    people. A note `recorded` also goes into the batch's message.
    """

    name: str
    value: Any
    text: str
    recorded: bool = False


@dataclass
class ImportResult:
    """The outcome of an import, the same for the web, the CLI and the API."""

    batch: ImportBatch
    rejects: list[ImportReject]
    notes: list[ImportNote] = field(default_factory=list)
    #: On a dry run, what each row would add or update (for kinds that describe their rows).
    changes: list[PlannedChange] = field(default_factory=list)

    @property
    def summary(self) -> dict[str, int]:
        """The counts, by name."""
        batch = self.batch
        return {
            "read": batch.rows_read,
            "inserted": batch.rows_inserted,
            "updated": batch.rows_updated,
            "unchanged": batch.rows_unchanged,
            "rejected": batch.rows_rejected,
        }

    def note(self, name: str, default: Any = None) -> Any:
        """The value of the note called `name`, or `default` when there is none."""
        return next((note.value for note in self.notes if note.name == name), default)
