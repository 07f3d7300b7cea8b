"""A response the database cannot take just now is never lost, and health says so.

Each test runs on a SQLite file of its own: one whose write lock another connection holds,
one that is full (PRAGMA max_page_count), and one opened read-only. The respondent gets the
form back (503) with every answer; the form's GET still works; /healthz reports 503.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from flask import Flask
from sqlalchemy import event, func, inspect, select, text

from cpp_app.extensions import db
from cpp_app.surveys.models import SurveyResponse
from tests import factories
from tests.factories.surveys import template_survey
from tests.helpers import csrf_token, make_test_app

LONG_ANSWER = "The crossing on Elm Street needs a light. " * 110  # needs pages of its own
NOT_SAVED = "We could not save your answers just now."


def count_responses() -> int:
    """Survey responses stored."""
    return db.session.scalar(select(func.count()).select_from(SurveyResponse))


@contextmanager
def own_database(tmp_path, name: str, **overrides) -> Iterator[tuple[Flask, object]]:
    """An app on a SQLite file of its own, with an open survey; yields (app, survey)."""
    path = tmp_path / f"{name}.sqlite3"
    application = make_test_app(tmp_path, SQLALCHEMY_DATABASE_URI=f"sqlite:///{path}",
                                **overrides)
    with application.app_context():
        db.create_all()
        survey = template_survey(factories.make_station("NTH", "North Station"))
        try:
            yield application, survey
        finally:
            db.session.remove()
            db.engine.dispose()


def answers(survey, client, top_issue: str = "Speeding on Elm") -> dict:
    """A complete, valid submission with a CSRF token from the form."""
    ids = {question.code: question.id for question in survey.questions}
    return {"csrf_token": csrf_token(client, f"/s/{survey.slug}"), "lang": "en",
            f"q{ids['feel_safe']}": "2", f"q{ids['police_respect']}": "4",
            f"q{ids['police_listen']}": "3", f"q{ids['top_issue']}": top_issue}


def assert_form_back_with(response, survey, top_issue: str) -> None:
    """The form came back (503) asking to send again, with the answers given."""
    body = response.get_data(as_text=True)
    ids = {question.code: question.id for question in survey.questions}
    assert response.status_code == 503
    assert NOT_SAVED in body
    assert f"{top_issue}</textarea>" in body
    assert f'name="q{ids["police_respect"]}" id="q{ids["police_respect"]}-4" value="4" ' \
        'checked' in body


def test_a_held_write_lock_brings_the_form_back_with_every_answer(tmp_path):
    with own_database(tmp_path, "locked", CPP_SQLITE_BUSY_TIMEOUT_MS=200) as (app, survey):
        client = app.test_client()
        data = answers(survey, client)
        holder = sqlite3.connect(db.engine.url.database, isolation_level=None)
        holder.execute("BEGIN IMMEDIATE")  # an import or a report holding the write lock
        try:
            assert client.get(f"/s/{survey.slug}").status_code == 200  # reading still works
            refused = client.post(f"/s/{survey.slug}", data=data)
        finally:
            holder.rollback()
            holder.close()
        assert_form_back_with(refused, survey, "Speeding on Elm")
        assert count_responses() == 0
        again = client.post(f"/s/{survey.slug}", data=data)  # sent again once the lock is free
        assert again.status_code == 302
        assert count_responses() == 1


def test_a_full_database_brings_the_form_back_and_health_says_unwritable(tmp_path):
    with own_database(tmp_path, "full") as (app, survey):
        client = app.test_client()
        data = answers(survey, client, LONG_ANSWER.strip())
        assert client.get("/healthz").status_code == 200
        pages = db.session.scalar(text("PRAGMA page_count"))
        db.session.commit()
        db.engine.dispose()
        event.listen(db.engine, "connect", lambda connection, _record: connection.execute(
            f"PRAGMA max_page_count = {pages}"))
        refused = client.post(f"/s/{survey.slug}", data=data)
        assert_form_back_with(refused, survey, LONG_ANSWER.strip())
        health = client.get("/healthz")
        assert health.status_code == 503
        assert health.get_json() == {"status": "unavailable", "reason": "database not writable"}
        assert count_responses() == 0


def test_a_read_only_database_still_shows_the_form_and_keeps_the_answers(tmp_path):
    with own_database(tmp_path, "read-only") as (writable, survey):
        slug, path = survey.slug, writable.config["SQLALCHEMY_DATABASE_URI"][len("sqlite:///"):]
        data = answers(survey, writable.test_client())
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA journal_mode=DELETE")  # as a copied or restored file is
    read_only = make_test_app(tmp_path,
                              SQLALCHEMY_DATABASE_URI=f"sqlite:///file:{path}?mode=ro&uri=true")
    with read_only.app_context():
        client = read_only.test_client()
        page = client.get(f"/s/{slug}")
        assert page.status_code == 200
        assert "Send my answers" in page.get_data(as_text=True)
        data["csrf_token"] = csrf_token(client, f"/s/{slug}")
        refused = client.post(f"/s/{slug}", data=data)
        survey = db.session.scalar(select(type(survey)).where(type(survey).slug == slug))
        assert_form_back_with(refused, survey, "Speeding on Elm")
        health = client.get("/healthz")
        assert health.status_code == 503
        assert health.get_json()["reason"] == "database not writable"
        db.session.remove()
        db.engine.dispose()


def test_health_writes_nothing_it_leaves_behind(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}
    assert not [name for name in inspect(db.engine).get_table_names()
                if name.startswith("cpp_health_probe")]
