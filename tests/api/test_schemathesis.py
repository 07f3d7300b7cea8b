"""Schemathesis drives the API from its own OpenAPI document: every answer must match it.

Valid requests must be accepted, requests breaking the schema refused with a 4xx, every status
documented, every body shaped as described, and no request may cause a server error. The run
is schemathesis's own engine (its examples, coverage and fuzzing phases) through the WSGI app,
with a valid token and few examples per operation.
"""

from __future__ import annotations

import pytest
import schemathesis
from flask import Flask
from schemathesis.engine import Status, events

from tests import factories
from tests.factories.api import bearer, make_api_token

MAX_EXAMPLES = 10


def schemathesis_failures(app: Flask, headers: dict) -> list[str]:
    """Every failed check and every error of one schemathesis run against the app."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    schema.config.update(headers=headers)
    schema.config.generation.update(max_examples=MAX_EXAMPLES, deterministic=True)
    # The probe that resends a request without its token passes `max_redirects` on to
    # werkzeug's test client, which refuses it (schemathesis 4.32); requests without a token
    # are checked in test_api.py instead.
    schema.config.checks.update(excluded_check_names=["ignored_auth"])
    # More records than a push may hold is refused with the documented 413.
    rejection = schema.config.checks.negative_data_rejection
    rejection.expected_statuses = [*rejection.expected_statuses, "413"]
    problems = []
    for event in schemathesis.engine.from_schema(schema).execute():
        if isinstance(event, events.NonFatalError | events.FatalError):
            problems.append(f"error: {str(event.info.format())[-300:]}")
        if isinstance(event, events.ScenarioFinished) and event.status != Status.SUCCESS:
            for case_id, checks in event.recorder.checks.items():
                case = event.recorder.cases[case_id].value
                problems.extend(
                    f"{event.recorder.label} {check.name}: {check.failure_info.failure.title}: "
                    f"{' '.join(check.failure_info.failure.message.splitlines())[:400]} -- "
                    f"{case.method} {case.query} {str(case.body)[:200]}"
                    for check in checks if check.status == Status.FAILURE)
    return sorted(set(problems))


@pytest.mark.usefixtures("station")
def test_the_api_keeps_to_its_openapi_document(app):
    _, secret = make_api_token(factories.make_user("admin"),
                               ["engagement:read", "engagement:write"])
    problems = schemathesis_failures(app, bearer(secret))
    assert problems == [], "\n".join(problems)
