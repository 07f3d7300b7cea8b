"""Property tests of cell values and headers from imported files.

Any text either parses or is refused with the documented CellError / MissingColumnsError, never
another exception.
"""

from __future__ import annotations

import re
import string
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import TypeVar

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cpp_app.engagement.importing import ENGAGEMENT_FIELDS
from cpp_app.importing.columns import FieldSpec, MissingColumnsError, map_columns, normalise_header
from cpp_app.importing.values import (
    EXCEL_EPOCH,
    FALSE_WORDS,
    TRUE_WORDS,
    CellError,
    parse_bool,
    parse_date,
    split_full_name,
    split_list,
    tidy_name,
)
from cpp_app.outreach.importing import STAKEHOLDER_FIELDS
from cpp_app.stations.member_import import MEMBER_FIELDS
from cpp_app.training.importing import TRAINING_FIELDS

T = TypeVar("T")
VALUE_SETTINGS = settings(max_examples=200, deadline=None)
DATE_LIKE = st.from_regex(r"\A[0-9]{1,6}([-/. ][0-9]{1,4}){0,2}([T ][0-9:]{0,8})?\Z")
#: Text of any kind, and text shaped like the dates, numbers and words spreadsheets hold.
CELLS = st.one_of(st.text(), st.text(alphabet=string.printable), DATE_LIKE,
                  st.sampled_from(sorted(TRUE_WORDS | FALSE_WORDS)))
LIST_SEPARATORS = ";,/|"
WORDS = st.text(alphabet=st.characters(categories=("L", "N"), exclude_characters=","),
                min_size=1, max_size=12)
ALL_FIELDS = {"engagement": ENGAGEMENT_FIELDS, "members": MEMBER_FIELDS,
              "stakeholders": STAKEHOLDER_FIELDS, "training": TRAINING_FIELDS}


def is_tidy(text: str) -> bool:
    """No whitespace at either end and no runs of it inside."""
    return text == " ".join(text.split())


def value_or_refusal(call: Callable[..., T], *args: object,
                     refusal: type[Exception] = CellError) -> tuple[T | None, Exception | None]:
    """Call `call(*args)`: give (its value, None), or (None, the `refusal` it raised)."""
    try:
        return call(*args), None
    except refusal as error:
        return None, error


@VALUE_SETTINGS
@given(text=CELLS)
def test_parse_date_gives_a_date_none_or_a_cell_error(text):
    parsed, refusal = value_or_refusal(parse_date, text, "start date")
    if refusal is not None:
        assert str(refusal).startswith(f"start date {text.strip()!r} is not a date")
    else:
        assert parsed is None if not text.strip() else isinstance(parsed, date)


@VALUE_SETTINGS
@given(day=st.dates())
def test_parse_date_reads_back_every_iso_date(day):
    assert parse_date(day.isoformat()) == day
    assert parse_date(f"  {day.isoformat()}T08:30:00 ") == day


@VALUE_SETTINGS
@given(moment=st.datetimes(
    min_value=datetime(1000, 1, 1)))  # noqa: DTZ001 - cells hold wall-clock times with no zone
def test_parse_date_reads_iso_timestamps_and_us_dates(moment):
    assert parse_date(moment.isoformat()) == moment.date()
    assert parse_date(moment.isoformat(" ")) == moment.date()
    assert parse_date(moment.strftime("%m/%d/%Y")) == moment.date()


@VALUE_SETTINGS
@given(serial=st.integers(min_value=1000, max_value=199_999),
       fraction=st.sampled_from(["", ".0", ".25", ".999"]))
def test_parse_date_reads_excel_serial_numbers(serial, fraction):
    assert parse_date(f"{serial}{fraction}") == EXCEL_EPOCH + timedelta(days=serial)


@VALUE_SETTINGS
@given(text=CELLS, default=st.sampled_from([None, True, False]))
def test_parse_bool_gives_yes_no_the_default_or_a_cell_error(text, default):
    parsed, refusal = value_or_refusal(parse_bool, text, "active", default)
    if refusal is not None:
        assert str(refusal) == f"active {text!r} is not yes or no"
        assert text.strip().lower() not in TRUE_WORDS | FALSE_WORDS
    else:
        word = text.strip().lower()
        expected = True if word in TRUE_WORDS else False if word in FALSE_WORDS else default
        assert parsed is expected


@VALUE_SETTINGS
@given(word=st.sampled_from(sorted(TRUE_WORDS | FALSE_WORDS)),
       padding=st.sampled_from(["", " ", "\t", "  "]), upper=st.booleans())
def test_parse_bool_ignores_case_and_padding(word, padding, upper):
    typed = f"{padding}{word.upper() if upper else word}{padding}"
    assert parse_bool(typed, "active") is (word in TRUE_WORDS)


@VALUE_SETTINGS
@given(text=CELLS)
def test_split_list_gives_trimmed_non_empty_items_without_separators(text):
    items = split_list(text)
    assert all(item and item == item.strip() for item in items)
    assert not any(separator in item for item in items for separator in LIST_SEPARATORS)


@VALUE_SETTINGS
@given(items=st.lists(WORDS, min_size=1, max_size=5),
       separator=st.sampled_from(["; ", ",", " / ", "|", ";;"]))
def test_split_list_reads_back_a_joined_list(items, separator):
    assert split_list(separator.join(items)) == items


@VALUE_SETTINGS
@given(text=CELLS)
def test_split_full_name_gives_two_tidy_parts(text):
    first, last = split_full_name(text)
    assert is_tidy(first)
    assert is_tidy(last)
    if any(character.isalnum() for character in text):
        assert first or last


@VALUE_SETTINGS
@given(first=WORDS, last=WORDS, padding=st.sampled_from(["", " ", "  "]))
def test_split_full_name_reads_last_comma_first_and_first_last(first, last, padding):
    assert split_full_name(f"{padding}{last},{padding}{first}{padding}") == (first, last)
    assert split_full_name(f"{padding}{first}{padding} {last}{padding}") == (first, last)


@VALUE_SETTINGS
@given(text=CELLS)
def test_tidy_name_gives_a_tidy_name_of_the_same_words(text):
    tidied = tidy_name(text)
    assert is_tidy(tidied)
    assert len(tidied.split()) == len(text.split())


@VALUE_SETTINGS
@given(words=st.lists(st.text(alphabet=string.ascii_letters, min_size=1, max_size=10),
                      min_size=1, max_size=3))
def test_tidy_name_title_cases_capitals_and_keeps_mixed_case(words):
    name = " ".join(words)
    assert tidy_name(f" {name.upper()} ") == name.upper().title()
    if not name.isupper():
        assert tidy_name(f"  {name}  ") == name


@VALUE_SETTINGS
@given(header=st.one_of(st.text(), st.none(), st.integers(), st.floats()))
def test_normalise_header_keeps_only_lowercase_letters_and_digits(header):
    normalised = normalise_header(header)
    assert re.fullmatch(r"[0-9a-z]*", normalised)
    assert normalise_header(normalised) == normalised


@VALUE_SETTINGS
@given(header=st.text(alphabet=string.printable),
       decoration=st.sampled_from(["", " ", "\ufeff", "_", "-", ".", ":"]))
def test_normalise_header_ignores_case_spacing_punctuation_and_a_bom(header, decoration):
    plain = normalise_header(header)
    assert normalise_header(f"{decoration}{header.upper()}{decoration}") == plain
    assert normalise_header(header.replace(" ", "_")) == plain


def headers_for(fields: list[FieldSpec]) -> st.SearchStrategy[list[str]]:
    """Header rows: arbitrary text mixed with the fields' own names, labels and aliases."""
    known = sorted({name for field in fields
                    for name in (field.name, field.label, *field.aliases)})
    return st.lists(st.one_of(st.text(max_size=20), st.sampled_from(known)), max_size=8)


@pytest.mark.parametrize("kind", sorted(ALL_FIELDS))
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_map_columns_maps_to_the_files_headers_or_refuses_with_missing_columns(kind, data):
    fields = ALL_FIELDS[kind]
    headers = data.draw(headers_for(fields), label="headers")
    field_names = [field.name for field in fields]
    explicit = data.draw(st.dictionaries(
        st.one_of(st.sampled_from(headers) if headers else st.nothing(), st.text(max_size=10)),
        st.one_of(st.sampled_from(field_names), st.text(max_size=10)), max_size=3),
        label="explicit")
    mapping, refusal = value_or_refusal(map_columns, headers, fields, explicit,
                                        refusal=MissingColumnsError)
    if refusal is not None:
        message = str(refusal)
        assert "mapping names an unknown field" in message or "is not in the file" in message
        return
    assert set(mapping) <= set(field_names)
    assert set(mapping.values()) <= set(headers)
    asked_for = {field_name: their_header for their_header, field_name in explicit.items()
                 if field_name}
    for field_name, their_header in asked_for.items():
        assert normalise_header(mapping[field_name]) == normalise_header(their_header)
    automatic = [name for name in mapping if name not in asked_for]
    assert len({mapping[name] for name in automatic}) == len(automatic)
    claimed_keys = {normalise_header(header) for header in mapping.values()}
    ignored = {normalise_header(header) for header, field_name in explicit.items()
               if not field_name}
    for field in fields:
        if field.name not in mapping:
            assert not any(normalise_header(header) in set(field.header_keys()) - claimed_keys
                           for header in headers
                           if header.strip() and normalise_header(header) not in ignored)
