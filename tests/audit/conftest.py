"""Fixtures for the audit tests: `flask cpp audit verify` through the CLI test runner."""

from __future__ import annotations

import contextvars
from collections.abc import Callable

import pytest
from click.testing import Result


@pytest.fixture
def verify(app) -> Callable[[], Result]:
    """Run `flask cpp audit verify` in a copy of the test's context; its result."""
    runner = app.test_cli_runner()

    def _invoke() -> Result:
        return contextvars.copy_context().run(runner.invoke, args=["cpp", "audit", "verify"])

    return _invoke
