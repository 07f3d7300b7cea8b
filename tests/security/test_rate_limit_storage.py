"""A rate-limit store that is away costs no request: limits fall back to memory, then return."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterator

import pytest
import redis
from flask import Flask

from cpp_app.extensions import db, limiter
from cpp_app.surveys.models import SurveyResponse
from tests import factories
from tests.factories.surveys import template_survey
from tests.helpers import csrf_token, make_test_app, row_count

#: A loopback port nothing listens on: every connection is refused at once.
UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"
LOCAL_REDIS = "redis://127.0.0.1:6379/15"
FALLBACK_WARNING = "Rate limit storage unreachable - falling back to in-memory storage"


def limited_app(app: Flask, tmp_path, storage_uri: str, **settings) -> Flask:
    """A second app on the test database, with rate limits on and counted in `storage_uri`."""
    application = make_test_app(
        tmp_path, RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=storage_uri,
        CPP_LOGIN_RATE_LIMIT="3 per minute", PROPAGATE_EXCEPTIONS=False,
        SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"], **settings)
    limiter._storage_dead = False  # noqa: SLF001 - the shared limiter, fresh for this app
    return application


def forget_store(application: Flask) -> None:
    """After the test: nothing to reset in a store that is away, and the database let go."""
    limiter.enabled = False
    limiter._storage_dead = False  # noqa: SLF001
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def unreachable_store_app(
        app: Flask, tmp_path,
        limiter_restored,  # noqa: ARG001 - a fixture can take set-up only as a parameter
) -> Iterator[Flask]:
    """An app whose rate-limit store is a Redis that refuses every connection."""
    application = limited_app(app, tmp_path, UNREACHABLE_REDIS)
    yield application
    forget_store(application)


def wrong_login(client, user) -> int:
    """Post a wrong password; the status code."""
    return client.post("/login", data={"csrf_token": csrf_token(client), "email": user.email,
                                       "password": "not the password!"}).status_code


def test_health_login_and_public_survey_work_with_the_store_away(
        unreachable_store_app, station, caplog):
    survey = template_survey(station, languages=("en",))
    ids = {question.code: question.id for question in survey.questions}
    client = unreachable_store_app.test_client()
    with caplog.at_level(logging.WARNING, logger="flask-limiter"):
        assert client.get("/healthz").status_code == 200
        assert client.get("/login").status_code == 200
        response = client.post(f"/s/{survey.slug}", data={
            "csrf_token": csrf_token(client, f"/s/{survey.slug}"),
            f"q{ids['feel_safe']}": "2", f"q{ids['police_respect']}": "4",
            f"q{ids['police_listen']}": "3", f"q{ids['trust_overall']}": "6"})
    assert response.status_code == 302
    assert row_count(SurveyResponse) == 1
    assert FALLBACK_WARNING in caplog.text


def test_limits_still_apply_in_memory_while_the_store_is_away(unreachable_store_app):
    user = factories.make_user("viewer")
    client = unreachable_store_app.test_client()
    assert [wrong_login(client, user) for _ in range(4)] == [400, 400, 400, 429]


def local_redis() -> redis.Redis | None:
    """The Redis on loopback, or None when none answers."""
    connection = redis.Redis.from_url(LOCAL_REDIS, socket_connect_timeout=0.5)
    try:
        connection.ping()
    except redis.exceptions.ConnectionError:
        return None
    return connection


def test_counts_go_back_to_redis_when_it_answers_again(
        app, tmp_path, monkeypatch,
        limiter_restored,  # noqa: ARG001 - a fixture can take set-up only as a parameter
):
    store = local_redis()
    if store is None:
        pytest.skip("no Redis on 127.0.0.1:6379")
    prefix = f"cpp-test-{secrets.token_hex(4)}"
    application = limited_app(app, tmp_path, LOCAL_REDIS, RATELIMIT_STORAGE_OPTIONS={
        "key_prefix": prefix, "socket_connect_timeout": 0.5, "socket_timeout": 0.5})
    user = factories.make_user("viewer")
    client = application.test_client()
    try:
        assert wrong_login(client, user) == 400
        assert store.keys(f"*{prefix}*"), "the first attempt is counted in Redis"
        store.delete(*store.keys(f"*{prefix}*"))

        def refused(*_args, **_kwargs):
            raise redis.exceptions.ConnectionError("Redis is away")
        monkeypatch.setattr(limiter.storage, "incr", refused)
        monkeypatch.setattr(limiter.storage, "check", lambda: False)
        assert wrong_login(client, user) == 400  # counted in memory
        assert not store.keys(f"*{prefix}*")

        monkeypatch.undo()
        # Flask-Limiter retries the store after a back-off (1 s, 2 s, 4 s…); start it now.
        limiter._Limiter__last_check_backend = 0  # noqa: SLF001
        assert wrong_login(client, user) == 400
        assert store.keys(f"*{prefix}*"), "Redis is used again once it answers"
    finally:
        keys = store.keys(f"*{prefix}*")
        if keys:
            store.delete(*keys)
        forget_store(application)
