"""No suppressed count on a public table can be worked out from the totals and the other cells.

Each check plays the part of someone reading the published figures: they know every shown
cell and total, and that the cells of a row or column add up to its total. Two attacks are
tried on every suppressed cell: subtraction, repeated (a line with one unknown gives it away,
which may reveal the only unknown of another line), and any sum of whole rows and columns
(linear algebra: the cell is worked out if it is a combination of the lines' equations).
"""

from __future__ import annotations

import csv
import io

import numpy
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cpp_app.clock import today_local
from cpp_app.disclosure import suppress_line, suppress_table
from cpp_app.extensions import db
from cpp_app.public.services import public_dashboard
from cpp_app.reports.services import annual_figures
from cpp_app.surveys.models import Survey
from cpp_app.surveys.results import compute_results, results_of_surveys
from tests.factories.surveys import respond, template_survey

MINIMUM = 10

Grid = list[list[int | None]]


def table_lines(rows: int, columns: int, row_totals: bool, column_totals: bool
                ) -> list[list[tuple[tuple[int, int], int]]]:
    """The equations of an extended grid: (position, sign) pairs adding up to zero."""
    height, width = rows + int(column_totals), columns + int(row_totals)
    lines = []
    if row_totals:
        lines += [[((i, j), -1 if j == columns else 1) for j in range(width)]
                  for i in range(height)]
    if column_totals:
        lines += [[((i, j), -1 if i == rows else 1) for i in range(height)]
                  for j in range(width)]
    return lines


def recovered_by_subtraction(grid: Grid, lines) -> set[tuple[int, int]]:
    """Suppressed cells found by subtracting shown cells from totals, again and again."""
    known = {(i, j): v for i, row in enumerate(grid) for j, v in enumerate(row)
             if v is not None}
    found = set()
    progress = True
    while progress:
        progress = False
        for line in lines:
            unknown = [(p, s) for p, s in line if p not in known]
            if len(unknown) == 1:
                position, sign = unknown[0]
                rest = sum(s * known[p] for p, s in line if p in known)
                known[position] = -rest * sign
                found.add(position)
                progress = True
    return found


def recovered_by_algebra(grid: Grid, lines) -> set[tuple[int, int]]:
    """Suppressed cells that any combination of the row and column equations pins down."""
    unknown = sorted({(i, j) for i, row in enumerate(grid) for j, v in enumerate(row)
                      if v is None})
    if not unknown or not lines:
        return set()
    index = {p: k for k, p in enumerate(unknown)}
    matrix = numpy.zeros((len(lines), len(unknown)))
    for row, line in enumerate(lines):
        for position, sign in line:
            if position in index:
                matrix[row, index[position]] = sign
    rank = numpy.linalg.matrix_rank(matrix)
    found = set()
    for position, k in index.items():
        probe = numpy.zeros((1, len(unknown)))
        probe[0, k] = 1
        if numpy.linalg.matrix_rank(numpy.vstack([matrix, probe])) == rank:
            found.add(position)
    return found


def assert_nothing_recoverable(grid: Grid, lines) -> None:
    """Neither attack recovers a suppressed cell."""
    assert recovered_by_subtraction(grid, lines) == set(), grid
    assert recovered_by_algebra(grid, lines) == set(), grid


def published_grid(table, rows: int) -> Grid:
    """A suppressed table laid out with its margins, as a reader sees it."""
    grid = [list(row) + ([table.row_totals[i]] if table.row_totals is not None else [])
            for i, row in enumerate(table.cells)]
    if table.column_totals is not None:
        grid.append(list(table.column_totals)
                    + ([table.grand_total] if table.row_totals is not None else []))
    assert len(grid) == rows + int(table.column_totals is not None)
    return grid


def check_line(shown: list[int | None], total: int | None, true_counts: list[int]) -> None:
    """A published list against its total: small counts hidden, nothing recoverable."""
    for count, value in zip(true_counts, shown, strict=True):
        assert value in (None, count)
        if 0 < count < MINIMUM:
            assert value is None
    grid = [[*shown, total]]
    assert_nothing_recoverable(grid, table_lines(1, len(shown), True, False))


# --- the module, over random tables -----------------------------------------------------

counts = st.integers(min_value=0, max_value=40)


@settings(max_examples=300, deadline=None)
@given(st.integers(1, 6).flatmap(lambda width: st.lists(
    st.lists(counts, min_size=width, max_size=width), min_size=1, max_size=6)),
    st.booleans(), st.booleans())
def test_random_tables_give_nothing_away(cells, row_totals, column_totals):
    rows, columns = len(cells), len(cells[0])
    table = suppress_table(cells, MINIMUM, row_totals=row_totals, column_totals=column_totals)
    grid = published_grid(table, rows)
    true = published_grid(suppress_table(cells, 1, row_totals=row_totals,
                                         column_totals=column_totals), rows)
    for shown_row, true_row in zip(grid, true, strict=True):
        for shown, value in zip(shown_row, true_row, strict=True):
            assert shown in (None, value)
            if 0 < value < MINIMUM:
                assert shown is None
    assert_nothing_recoverable(grid, table_lines(rows, columns, row_totals, column_totals))


@settings(max_examples=300, deadline=None)
@given(st.lists(counts, min_size=1, max_size=8))
def test_random_lists_give_nothing_away(values):
    shown, total = suppress_line(values, MINIMUM)
    check_line(shown, total, values)
    assert total in (None, sum(values))


def test_one_hidden_cell_in_a_row_takes_the_next_smallest_with_it():
    shown, total = suppress_line([40, 12, 3, 25], MINIMUM)
    assert shown == [40, None, None, 25]
    assert total == 80
    table = suppress_table([[20, 3, 30], [25, 40, 50], [30, 30, 30]], MINIMUM)
    assert table.cells[0][1] is None
    assert table.cells[0][0] is None
    assert table.grand_total == 258
    assert table.row_totals == [53, 115, 90]


def test_a_cell_linking_two_groups_of_hidden_cells_is_protected_too():
    # Every row and column below ends up with at least two hidden cells, yet without more
    # suppression adding and subtracting rows and columns would give a hidden cell away.
    cells = [[0, 3, 0], [50, 50, 3], [0, 20, 3]]
    table = suppress_table(cells, MINIMUM)
    grid = published_grid(table, 3)
    lines = table_lines(3, 3, True, True)
    assert all(sum(grid[i][j] is None for (i, j), _sign in line) != 1 for line in lines)
    assert_nothing_recoverable(grid, lines)
    assert table.cells[1][1] is None


def test_staff_minimum_of_one_hides_nothing():
    assert suppress_line([0, 1, 2], 1) == ([0, 1, 2], 3)


# --- the public tables built from survey responses --------------------------------------

FEEL_SAFE = [3, 12, 0, 10, 11]        # one small answer, no other small ones in the row
POLICE_LISTEN = [34, 1, 1, 0, 0]      # two small answers
POLICE_RESPECT = [20, 16, 0, 0, 0]    # nothing small
LANGUAGES = ["en"] * 30 + ["es"] * 4 + ["zh"] * 2


def answers(distribution: list[int]) -> list[int]:
    """One agree-scale value per respondent, following a distribution over 1–5."""
    return [value for value, n in enumerate(distribution, start=1) for _ in range(n)]


@pytest.fixture
def small_groups_survey(app, station):
    """A survey of 36 responses whose answers and languages include small groups."""
    app.config["CPP_MIN_PUBLIC_COUNT"] = MINIMUM
    survey = template_survey(station, languages=("en", "es", "zh"))
    for language, safe, listen, respect in zip(
            LANGUAGES, answers(FEEL_SAFE), answers(POLICE_LISTEN), answers(POLICE_RESPECT),
            strict=True):
        respond(survey, language, feel_safe=safe, police_listen=listen,
                police_respect=respect)
    return db.session.get(Survey, survey.id)


def test_the_survey_csv_gives_no_suppressed_count_away(client, small_groups_survey):
    survey = small_groups_survey
    truth = compute_results(survey, min_count=1)
    text = client.get("/open-data/survey-results.csv").get_data(as_text=True)
    published: dict[str, dict[str, int]] = {}
    for row in csv.DictReader(io.StringIO(text)):
        if row["survey"] == survey.slug and row["question"] != "index":
            published.setdefault(row["question"], {})[row["answer"]] = int(row["count"])
    assert set(published) >= {"feel_safe", "police_listen", "police_respect"}
    for item in truth.questions:
        if item.question.code not in published:
            continue
        labels = [label for label, _count in item.counts]
        true_counts = [count for _label, count in item.counts]
        shown = [published[item.question.code].get(label) for label in labels]
        # The reader knows how many answered: a required question was answered by everyone.
        check_line(shown, item.answered, true_counts)
    feel_safe = published["feel_safe"]
    assert len(feel_safe) == 3          # 3 is hidden, and 10 (the next smallest) with it
    assert sorted(feel_safe.values()) == [0, 11, 12]
    assert sorted(published["police_respect"].values()) == [0, 0, 0, 16, 20]


def test_public_survey_figures_give_no_suppressed_count_away(small_groups_survey):
    """The figures the dashboard and annual report use come suppressed the same way."""
    public = results_of_surveys([small_groups_survey.id], min_count=MINIMUM)[0]
    truth = compute_results(small_groups_survey, min_count=1)
    for item, true_item in zip(public.questions, truth.questions, strict=True):
        if item.suppressed or not item.counts:
            continue
        check_line([c for _l, c in item.counts], item.answered,
                   [c for _l, c in true_item.counts])
    shown_languages = dict(public.by_language)
    true_languages = dict(truth.by_language)
    check_line([shown_languages[code] for code in true_languages], public.responses,
               list(true_languages.values()))
    assert shown_languages["en"] == 30
    assert shown_languages["es"] is None
    assert shown_languages["zh"] is None


def test_the_dashboard_and_the_annual_report_take_the_suppressed_figures(small_groups_survey):
    dashboard = public_dashboard(today_local())
    annual = annual_figures(2026)
    for results in (dashboard.surveys[-1], annual["surveys"][-1]):
        assert results.survey.id == small_groups_survey.id
        languages = dict(results.by_language)
        assert languages["es"] is None
        assert languages["zh"] is None
        feel_safe = next(q for q in results.questions if q.question.code == "feel_safe")
        assert sorted(c for _label, c in feel_safe.counts if c is not None) == [0, 11, 12]
