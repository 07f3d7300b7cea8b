"""Helpers the tests share."""

from __future__ import annotations

from pathlib import Path

TESTS_DIR = Path(__file__).resolve().parent
#: Real files the tests read; each is described in PROVENANCE.md beside them.
TEST_DATA = TESTS_DIR / "data"
