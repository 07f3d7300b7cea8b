"""Labelled enums: members are their stored codes, carry labels, and give form choices."""

from __future__ import annotations

import json

from cpp_app.audit.services import acting_as, record
from cpp_app.enums import LabelledEnum
from cpp_app.roles import Role
from tests import factories


class Colour(LabelledEnum):
    """A small enum to test the base with."""

    RED = "red", "Bright red"
    BLUE = "blue", "Deep blue"


def test_members_are_their_codes_and_carry_their_labels():
    assert Colour.RED == "red"
    assert Colour("blue") is Colour.BLUE
    assert str(Colour.RED) == "red"
    assert f"{Colour.BLUE}" == "blue"
    assert Colour.RED.label == "Bright red"
    assert json.dumps({"colour": Colour.RED}) == '{"colour": "red"}'
    assert {"red": 1}[Colour.RED] == 1
    assert "blue" in frozenset(Colour)


def test_codes_are_checked_and_labelled_without_raising():
    assert Colour.has_value("red")
    assert not Colour.has_value("green")
    assert not Colour.has_value(None)
    assert Colour.label_of("blue") == "Deep blue"
    assert Colour.label_of("green") == "green"
    assert Colour.labels() == {Colour.RED: "Bright red", Colour.BLUE: "Deep blue"}


def test_choices_keep_the_declared_order_with_an_optional_blank():
    assert [(c.value, c.label) for c in Colour.choices()] == [("red", "Bright red"),
                                                             ("blue", "Deep blue")]
    assert [(c.value, c.label) for c in Colour.choices(blank="Any")][0] == ("", "Any")
    assert [c.value for c in Colour.choices(leave_out=frozenset({Colour.RED}))] == ["blue"]
    assert all(type(c.value) is str for c in Colour.choices())


def test_roles_keep_their_labels_and_choices():
    assert [(c.value, c.label) for c in Role.choices()] == [
        ("admin", "Administrator"), ("commander", "Unit commander"),
        ("staff", "Station staff"), ("training", "Training coordinator"),
        ("viewer", "Viewer (read-only)")]
    assert Role.COMMANDER.needs_station
    assert not Role.VIEWER.needs_station


def test_audit_snapshots_store_an_enum_as_plain_text():
    user = factories.make_user("staff")
    user.role = Role.VIEWER
    snapshot = user.audit_snapshot()
    assert type(snapshot["role"]) is str
    assert snapshot["role"] == "viewer"
    with acting_as("test"):
        event = record("user.update", user)
    assert event.after["role"] == "viewer"
    assert json.dumps(event.after["role"]) == '"viewer"'
