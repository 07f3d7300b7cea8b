"""Small-count suppression for every public table: primary and complementary (secondary).

A count below the publication minimum (CPP_MIN_PUBLIC_COUNT) is suppressed (primary). That
alone is not enough: a row total minus the shown cells would give the hidden one back. So
cells are also suppressed to protect the primary ones (complementary): wherever a row, a
column or the totals hold exactly one suppressed cell, the next-smallest cell is suppressed
too, and this is repeated over rows and columns until no line has exactly one. Then no
suppressed cell can be recovered by subtracting the shown cells from a total, nor by adding
and subtracting whole rows and columns (a cell that is the only link between two groups of
suppressed cells is protected the same way).

Totals are part of the table: they are computed from the true counts, shown unless
suppressed, and a total below the minimum is itself suppressed. Zero counts are shown; a
complement is chosen among the non-zero cells first, and a total only when no cell is left.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

Position = tuple[int, int]
_FREE = ("free",)


@dataclass
class SuppressedTable:
    """A table after suppression: None marks a suppressed cell or total.

    `row_totals` and `column_totals` are None when the table has no such margin;
    `grand_total` is None when suppressed or when the table lacks either margin.
    """

    cells: list[list[int | None]]
    row_totals: list[int | None] | None
    column_totals: list[int | None] | None
    grand_total: int | None
    suppressed: set[Position]


def publishable(count: int, minimum: int) -> bool:
    """Whether a whole group (a survey, a question) is large enough to publish at all.

    An empty group has nothing to publish. Cells inside a published table follow
    `suppress_table` instead, where zero counts are shown.
    """
    return count >= max(minimum, 1)


def suppress_table(cells: Sequence[Sequence[int]], minimum: int, *, row_totals: bool = True,
                   column_totals: bool = True) -> SuppressedTable:
    """Suppress a table of counts with its margins (row totals, column totals, grand total).

    With `minimum` of 1 or less nothing is suppressed (that is the staff view).
    """
    grid = _with_margins([list(row) for row in cells], row_totals, column_totals)
    rows, columns = len(cells), (len(cells[0]) if cells else 0)
    hidden: set[Position] = set()
    if minimum > 1:
        hidden = _suppress(grid, minimum, _Layout(rows, columns, row_totals, column_totals))
    shown = [[None if (i, j) in hidden else value for j, value in enumerate(line)]
             for i, line in enumerate(grid)]
    body = [line[:columns] for line in shown[:rows]]
    return SuppressedTable(
        cells=body,
        row_totals=[line[columns] for line in shown[:rows]] if row_totals else None,
        column_totals=shown[rows][:columns] if column_totals else None,
        grand_total=shown[rows][columns] if row_totals and column_totals else None,
        suppressed=hidden,
    )


def suppress_line(counts: Sequence[int], minimum: int) -> tuple[list[int | None], int | None]:
    """Suppress one list of counts and its total (their sum): (counts, total), None if hidden.

    Counts that may add up to more than what they are published against (answers to a
    "choose all that apply" question) are protected all the same.
    """
    table = suppress_table([list(counts)], minimum, row_totals=True, column_totals=False)
    totals = table.row_totals or [None]
    return table.cells[0], totals[0]


@dataclass(frozen=True)
class _Layout:
    """Where the margins of an extended grid are: which rows and columns must add up."""

    rows: int
    columns: int
    row_totals: bool
    column_totals: bool

    def lines(self) -> list[list[Position]]:
        """Each constraint as the positions that add up (cells and their total)."""
        height = self.rows + (1 if self.column_totals else 0)
        width = self.columns + (1 if self.row_totals else 0)
        lines = []
        if self.row_totals:
            lines += [[(i, j) for j in range(width)] for i in range(height)]
        if self.column_totals:
            lines += [[(i, j) for i in range(height)] for j in range(width)]
        return lines

    def is_margin(self, position: Position) -> bool:
        """Whether a position holds a total rather than a cell."""
        return position[0] >= self.rows or position[1] >= self.columns

    def ends(self, position: Position) -> tuple[tuple, tuple]:
        """The two constraints a position belongs to, as graph vertices (or the free one)."""
        row = ("row", position[0]) if self.row_totals else _FREE
        column = ("column", position[1]) if self.column_totals else _FREE
        return row, column


def _with_margins(cells: list[list[int]], row_totals: bool, column_totals: bool
                  ) -> list[list[int]]:
    grid = [[*row, sum(row)] if row_totals else list(row) for row in cells]
    if column_totals:
        width = len(grid[0]) if grid else (1 if row_totals else 0)
        grid.append([sum(row[j] for row in grid) for j in range(width)])
    return grid


def _suppress(grid: list[list[int]], minimum: int, layout: _Layout) -> set[Position]:
    """Primary suppression, then complements until no suppressed cell can be worked out."""
    values = {(i, j): value for i, line in enumerate(grid) for j, value in enumerate(line)}
    hidden = {position for position, value in values.items() if 0 < value < minimum}
    lines = layout.lines()
    while hidden:
        lone = next((line for line in lines
                     if sum(position in hidden for position in line) == 1), None)
        if lone is not None:
            candidates = [position for position in lone if position not in hidden]
        else:
            candidates = _bridge_complements(values, hidden, layout)
        if not candidates:
            break
        hidden.add(min(candidates, key=lambda p: _complement_order(p, values, layout)))
    return hidden


def _complement_order(position: Position, values: dict[Position, int], layout: _Layout
                      ) -> tuple:
    """Cells before totals, non-zero before zero, then the smallest."""
    value = values[position]
    return layout.is_margin(position), value == 0, value, position


def _bridge_complements(values: dict[Position, int], hidden: set[Position], layout: _Layout
                        ) -> list[Position]:
    """Cells whose suppression would protect a suppressed cell that rows and columns give away.

    Such a cell is the only link (a bridge) between two groups of suppressed cells: adding
    up the rows and columns on one side recovers it. A shown cell joining the two sides
    closes a loop through it, and then it can no longer be worked out.
    """
    edges = {position: layout.ends(position) for position in hidden}
    for position, (start, end) in sorted(edges.items()):
        if start == end:
            continue
        side = _reachable(start, {p: e for p, e in edges.items() if p != position})
        if end in side:
            continue
        other = _reachable(end, {p: e for p, e in edges.items() if p != position})
        joining = [p for p in values if p not in hidden
                   and _joins(layout.ends(p), side, other)]
        if joining:
            return joining
        return [p for p in values if p not in hidden and side & set(layout.ends(p))]
    return []


def _joins(ends: tuple[tuple, tuple], side: set[tuple], other: set[tuple]) -> bool:
    first, second = ends
    return (first in side and second in other) or (first in other and second in side)


def _reachable(start: tuple, edges: dict[Position, tuple[tuple, tuple]]) -> set[tuple]:
    """The vertices joined to `start` by the given edges."""
    neighbours: dict[tuple, list[tuple]] = {}
    for first, second in edges.values():
        neighbours.setdefault(first, []).append(second)
        neighbours.setdefault(second, []).append(first)
    seen, frontier = {start}, [start]
    while frontier:
        for vertex in neighbours.get(frontier.pop(), []):
            if vertex not in seen:
                seen.add(vertex)
                frontier.append(vertex)
    return seen

