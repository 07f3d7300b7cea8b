"""Fixtures for command tests: run `flask cpp …` through Flask's CLI test runner."""

from __future__ import annotations

import contextvars
from collections.abc import Callable

import pytest
from click.testing import Result


@pytest.fixture
def cpp(app) -> Callable[..., Result]:
    """Invoke a `cpp` command: `cpp("import", "members", path, input=...)`.

    Each run gets a copy of the test's context, so what a command sets for itself (the write
    lock flag, the acting user) does not outlive it.
    """
    runner = app.test_cli_runner()

    def _invoke(*args: str, input: str | None = None) -> Result:
        arguments = ["cpp", *(str(arg) for arg in args)]
        return contextvars.copy_context().run(runner.invoke, args=arguments, input=input)

    return _invoke
