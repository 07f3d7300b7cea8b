"""Forgotten passwords: a single-use, expiring, hashed link by email; the same answer for all."""

from __future__ import annotations

import hashlib
import re

from sqlalchemy import select

from cpp_app.auth.models import PasswordResetToken
from cpp_app.extensions import db
from cpp_app.reminders.models import OutboxEmail
from tests import factories
from tests.helpers import log_in, post_form, row_count

NEW = "lantern orbit pebble saxophone"
LINK = re.compile(r"(https?://\S+/login/reset/(\S+))")


def ask(client, email):
    """Ask for a reset link; the response."""
    return post_form(client, "/login/forgot", {"email": email})


def emailed_link(recipient: str) -> tuple[str, str]:
    """The link (and its token) in the last email queued to `recipient`."""
    email = db.session.scalars(select(OutboxEmail).where(OutboxEmail.recipient == recipient)
                               .order_by(OutboxEmail.id.desc())).first()
    assert email is not None, f"no email to {recipient}"
    found = LINK.search(email.body)
    return found.group(1), found.group(2)


def test_the_answer_is_the_same_whether_or_not_the_email_has_an_account(app):
    user = factories.make_user("viewer")
    answers = []
    for email in (user.email, "nobody@example.org"):
        client = app.test_client()
        response = ask(client, email)
        page = client.get(response.headers["Location"]).get_data(as_text=True)
        answers.append((response.status_code, response.headers["Location"],
                        re.findall(r'<div class="alert[^>]*>([^<]*)</div>', page)))
    assert answers[0] == answers[1]
    assert "a link to choose a new password is on its way" in answers[0][2][0]
    assert row_count(OutboxEmail) == 1
    assert db.session.scalar(select(OutboxEmail.recipient)) == user.email


def test_the_link_is_stored_only_as_its_hash_and_sets_a_new_password(app, client):
    user = factories.make_user("viewer")
    other_session = app.test_client()
    assert log_in(other_session, user.email).status_code == 302
    ask(client, user.email)
    link, token = emailed_link(user.email)
    assert link.startswith("http://localhost/login/reset/")
    stored = db.session.scalar(select(PasswordResetToken))
    assert stored.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in stored.token_hash
    response = post_form(client, f"/login/reset/{token}", {"password": NEW, "confirm": NEW})
    assert response.status_code == 302
    assert other_session.get("/home").status_code == 302  # sessions ended
    assert log_in(app.test_client(), user.email, NEW).status_code == 302
    db.session.refresh(user)
    assert user.password_changed_at is not None


def test_a_link_works_once(app, client):
    user = factories.make_user("viewer")
    ask(client, user.email)
    _link, token = emailed_link(user.email)
    post_form(client, f"/login/reset/{token}", {"password": NEW, "confirm": NEW})
    again = client.get(f"/login/reset/{token}")
    assert again.status_code == 302
    assert again.headers["Location"].endswith("/login/forgot")
    assert log_in(app.test_client(), user.email, NEW).status_code == 302


def test_a_link_expires(client, clock):
    user = factories.make_user("viewer")
    ask(client, user.email)
    _link, token = emailed_link(user.email)
    clock.advance(61 * 60)
    assert client.get(f"/login/reset/{token}").status_code == 302
    assert "expired" in client.get("/login/forgot").get_data(as_text=True)


def test_the_new_password_is_checked_and_the_link_survives_a_refusal(client):
    user = factories.make_user("viewer")
    ask(client, user.email)
    _link, token = emailed_link(user.email)
    refused = post_form(client, f"/login/reset/{token}",
                        {"password": "password1234", "confirm": "password1234"})
    assert "This is a very common password." in refused.get_data(as_text=True)
    assert client.get(f"/login/reset/{token}").status_code == 200


def test_the_link_is_built_from_the_public_base_url(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "CPP_PUBLIC_BASE_URL", "https://cpp.example.gov")
    user = factories.make_user("viewer")
    ask(client, user.email)
    link, _token = emailed_link(user.email)
    assert link.startswith("https://cpp.example.gov/login/reset/")


def test_an_account_gets_only_a_few_links_an_hour(app, client):
    user = factories.make_user("viewer")
    for _ in range(app.config["CPP_PASSWORD_RESET_PER_HOUR"] + 2):
        assert ask(client, user.email).status_code == 302
    assert row_count(OutboxEmail) == app.config["CPP_PASSWORD_RESET_PER_HOUR"]


def test_a_deactivated_account_gets_no_link(client):
    user = factories.make_user("viewer", active=False)
    ask(client, user.email)
    assert row_count(OutboxEmail) == 0
