"""Each step of an update's workflow notifies the right people at once, exactly once.

Submitted → the administrators; returned (with the reason), approved, published → the
station's commanders (and on publication its staff). Each step is an in-app notification and an
email through the outbox, delivered to a real SMTP server on loopback; approving and publishing
show a preview of the public page first, and a second confirmation changes nothing.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from cpp_app.audit.services import acting_as
from cpp_app.errors import ServiceError
from cpp_app.extensions import db
from cpp_app.reminders import services as reminders
from cpp_app.reminders.models import Notification, OutboxEmail, Reminder
from cpp_app.updates import services as updates
from cpp_app.updates.models import PlanUpdate, UpdateStatus
from tests import factories
from tests.factories.plans import adopted_plan, complete_update
from tests.helpers import csrf_token, post_form, row_count

ADOPTED = date(2026, 6, 30)


def people(station):
    """Two administrators, the station's commander and staff, and a commander elsewhere."""
    other = factories.make_station(code="OTH", name="Other")
    return {
        "admins": [factories.make_user("admin"), factories.make_user("admin")],
        "commander": factories.make_user("commander", station=station),
        "staff": factories.make_user("staff", station=station),
        "elsewhere": factories.make_user("commander", station=other),
    }


def notified(kind: str) -> dict[int, Notification]:
    """The notifications of one kind, by user."""
    found = list(db.session.scalars(select(Notification).where(Notification.kind == kind)))
    by_user = {n.user_id: n for n in found}
    assert len(by_user) == len(found), "someone was notified twice"
    return by_user


def emails(kind: str) -> list[OutboxEmail]:
    """The queued emails of one kind of reminder."""
    return list(db.session.scalars(select(OutboxEmail).join(
        Reminder, OutboxEmail.reminder_id == Reminder.id).where(Reminder.kind == kind)))


def submitted_update(station):
    """A complete update of an adopted plan, submitted by the commander."""
    update = complete_update(adopted_plan(station, adopted_on=ADOPTED))
    with acting_as("test"):
        updates.submit(update)
    return update


def test_submission_tells_every_administrator_with_a_link_and_an_email(station, smtp):
    inbox, _server = smtp
    who = people(station)
    update = submitted_update(station)
    notes = notified("update_submitted")
    assert set(notes) == {admin.id for admin in who["admins"]}
    note = next(iter(notes.values()))
    assert note.link == f"/updates/{update.id}"
    assert station.name in note.subject
    assert "submitted" in note.subject
    assert sorted(e.recipient for e in emails("update_submitted")) == sorted(
        a.email for a in who["admins"])
    assert reminders.send_outbox().sent == 2
    assert reminders.send_outbox().sent == 0
    assert sorted(r for rcpts, _text in inbox.messages for r in rcpts) == sorted(
        a.email for a in who["admins"])
    assert all(f"/updates/{update.id}" in text for _rcpts, text in inbox.messages)


def test_return_tells_the_station_commander_the_reason(station, smtp):
    inbox, _server = smtp
    who = people(station)
    update = submitted_update(station)
    with acting_as("test"):
        updates.return_with_comments(update, "Add the October meeting as a source.")
    notes = notified("update_returned")
    assert set(notes) == {who["commander"].id}
    assert "Add the October meeting as a source." in notes[who["commander"].id].body
    assert [e.recipient for e in emails("update_returned")] == [who["commander"].email]
    reminders.send_outbox()
    returned = [text for rcpts, text in inbox.messages if rcpts == [who["commander"].email]]
    assert len(returned) == 1
    assert "Add the October meeting as a source." in returned[0]


def test_a_resubmission_notifies_again_but_each_submission_only_once(station):
    people(station)
    update = submitted_update(station)
    with acting_as("test"):
        updates.return_with_comments(update, "Say more about the speeding.")
        updates.submit(update)
    assert row_count(Reminder) == 3  # submitted, returned, submitted again
    assert len(emails("update_submitted")) == 4  # two administrators, twice


def test_approval_and_publication_tell_the_station(station, smtp):
    inbox, _server = smtp
    who = people(station)
    update = submitted_update(station)
    with acting_as("test"):
        updates.approve(update, date(2027, 3, 1))
    assert set(notified("update_approved")) == {who["commander"].id}
    with acting_as("test"):
        updates.publish(update, date(2027, 3, 2))
    assert set(notified("update_published")) == {who["commander"].id, who["staff"].id}
    assert who["elsewhere"].id not in {n.user_id for n in db.session.scalars(
        select(Notification))}
    reminders.send_outbox()
    received = sorted(r for rcpts, _text in inbox.messages for r in rcpts)
    assert received == sorted([a.email for a in who["admins"]] + [who["commander"].email] * 2
                              + [who["staff"].email])


def test_email_preference_is_respected_but_the_notification_stays(station):
    who = people(station)
    commander = who["commander"]
    reminders.save_email_preferences(commander.id, {"update_published", "update_returned"})
    update = submitted_update(station)
    with acting_as("test"):
        updates.approve(update, date(2027, 3, 1))
    assert commander.id in notified("update_approved")
    assert emails("update_approved") == []


def test_the_approve_page_previews_the_public_text_and_a_second_tab_changes_nothing(
        station, login, smtp):
    inbox, _server = smtp
    who = people(station)
    update = submitted_update(station)
    client = login(who["admins"][0])
    page = client.get(f"/updates/{update.id}/approve")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Preview — not yet public" in html
    assert "Residents still worry about speeding." in html
    assert "School-zone outreach plus evening speed watch" in html
    assert "Because you asked" in html
    assert db.session.get(PlanUpdate, update.id).status == UpdateStatus.SUBMITTED
    token = csrf_token(client, f"/updates/{update.id}/approve")
    first = client.post(f"/updates/{update.id}/approve", data={"csrf_token": token})
    second = client.post(f"/updates/{update.id}/approve", data={"csrf_token": token},
                         follow_redirects=True)
    assert first.status_code == 302
    assert "cannot be approved" in second.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(PlanUpdate, update.id).status == UpdateStatus.APPROVED
    assert len(notified("update_approved")) == 1
    assert len(emails("update_approved")) == 1
    reminders.send_outbox()
    assert [r for r, _t in inbox.messages if r == [who["commander"].email]] == [
        [who["commander"].email]]


def test_the_publish_page_previews_and_publishes_once(station, login):
    who = people(station)
    update = submitted_update(station)
    with acting_as("test"):
        updates.approve(update, date(2027, 3, 1))
    client = login(who["admins"][0])
    html = client.get(f"/updates/{update.id}/publish").get_data(as_text=True)
    assert "Preview — not yet public" in html
    assert "Residents still worry about speeding." in html
    assert client.get(f"/stations/{station.code}").get_data(as_text=True).count(
        "Residents still worry about speeding.") == 0
    for _tab in range(2):
        post_form(client, f"/updates/{update.id}/publish", {},
                  form_page=f"/updates/{update.id}/publish")
    db.session.expire_all()
    assert db.session.get(PlanUpdate, update.id).status == UpdateStatus.PUBLISHED
    assert len(notified("update_published")) == 2  # the commander and the staff, once each
    assert len(db.session.get(PlanUpdate, update.id).sharing) == 2  # the meeting, the page


def test_a_second_publication_is_refused_by_its_key_even_if_the_status_was_not_seen(station):
    people(station)
    update = submitted_update(station)
    with acting_as("test"):
        updates.approve(update, date(2027, 3, 1))
        updates.publish(update, date(2027, 3, 2))
    # A second request that read the update before the first committed would see it approved.
    db.session.execute(PlanUpdate.__table__.update().values(status=UpdateStatus.APPROVED))
    db.session.commit()
    db.session.expire_all()
    stale = db.session.get(PlanUpdate, update.id)
    with acting_as("test"), pytest.raises(ServiceError, match="already published"):
        updates.publish(stale, date(2027, 3, 2))
    db.session.rollback()
    assert row_count(Reminder) == 3  # submitted, approved, published: once each
    assert len(notified("update_published")) == 2  # the commander and the staff, once each
    assert len(db.session.get(PlanUpdate, update.id).sharing) == 2  # the meeting, the page
