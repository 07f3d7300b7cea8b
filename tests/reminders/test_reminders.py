"""Reminders, notifications and the email outbox.

Each rule, exactly-once issuing (also under concurrency), the outbox over a real SMTP server on
loopback, retries when it is down, preferences, the scheduler lock.
"""

from __future__ import annotations

import contextvars
import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from cpp_app.audit.services import acting_as
from cpp_app.database import expect_writes
from cpp_app.extensions import db
from cpp_app.outreach import services as outreach
from cpp_app.reminders import services
from cpp_app.reminders.models import Notification, OutboxEmail, Reminder
from cpp_app.reminders.scheduler import SchedulerAlreadyRunning, scheduler_lock
from cpp_app.updates import services as updates
from tests import factories
from tests.factories.plans import adopted_plan, complete_update
from tests.factories.surveys import template_survey
from tests.helpers import post_form, row_count

ADOPTED = date(2026, 6, 30)  # first update due 30 December 2026


def run(today: date):
    """One reminder pass as the scheduler runs it on `today`."""
    with acting_as("test"):
        return services.run_pass(today)


def test_update_due_thresholds_and_weekly_overdue(station):
    commander = factories.make_user("commander", station=station)
    admin = factories.make_user("admin")
    adopted_plan(station, adopted_on=ADOPTED)
    assert run(date(2026, 11, 20)).issued == 0  # 41 days left: nothing yet
    report = run(date(2026, 11, 30))  # 30 days left
    assert report.issued == 1
    assert report.notifications == 1
    assert run(date(2026, 11, 30)).issued == 0  # the same pass again: nothing new
    assert run(date(2026, 12, 20)).issued == 1  # 11 days left: the 14-day reminder
    assert run(date(2026, 12, 22)).issued == 0  # still within 14: already sent
    overdue = run(date(2027, 1, 2))
    assert overdue.issued == 1
    assert overdue.notifications == 2
    assert run(date(2027, 1, 5)).issued == 0  # same week
    assert run(date(2027, 1, 9)).issued == 1  # a week later, again
    recipients = set(db.session.scalars(select(Notification.user_id)))
    assert recipients == {commander.id, admin.id}


def test_other_rules(station):
    admin = factories.make_user("admin")
    member = factories.make_member(station, start_date=date(2010, 1, 1))
    member_user = factories.make_user("staff", station=station, member_id=member.id)
    coordinator = factories.make_user("training")
    plan = adopted_plan(station, adopted_on=ADOPTED)
    update = complete_update(plan)
    with acting_as("test"):
        updates.submit(update)
    db.session.execute(update.__table__.update().values(
        submitted_at=datetime(2026, 11, 1, tzinfo=UTC)))
    with acting_as("test"):
        stakeholder = outreach.save_stakeholder(outreach.StakeholderDetails(
            station_id=station.id, name="Temple", kind="other"))
        outreach.log_outreach(outreach.OutreachDetails(
            stakeholder_id=stakeholder.id, contacted_on=date(2026, 10, 1), method="call",
            purpose="Check in", follow_up_on=date(2026, 11, 10)), member_user.id)
    survey = template_survey(station, closes_on=date(2026, 11, 12))
    db.session.execute(survey.__table__.update().values(owner_user_id=admin.id))
    db.session.commit()
    run(date(2026, 11, 10))
    kinds = dict(db.session.execute(
        select(Reminder.kind, func.count()).group_by(Reminder.kind)).all())
    # 51 days before the year ends the 60-day training reminders are due too; the
    # submission itself told the administrator at once.
    assert kinds == {"update_submitted": 1, "approval_waiting": 1, "follow_up_due": 1,
                     "survey_closing": 1, "training_short": 1, "training_digest": 1}
    notes = {(n.user_id, n.kind) for n in db.session.scalars(select(Notification))}
    assert (member_user.id, "training_short") in notes
    assert (coordinator.id, "training_digest") in notes
    assert (admin.id, "approval_waiting") in notes


def test_outbox_sends_once_over_smtp(station, smtp):
    inbox, _controller = smtp
    factories.make_user("commander", station=station, email="cmd@example.org")
    adopted_plan(station, adopted_on=ADOPTED)
    run(date(2026, 11, 30))
    assert services.send_outbox().sent == 1
    assert services.send_outbox().sent == 0
    assert [to for to, _ in inbox.messages] == [["cmd@example.org"]]
    assert "due in 30 days" in inbox.messages[0][1]


def test_turning_email_off_keeps_the_notification(station, smtp):
    inbox, _controller = smtp
    commander = factories.make_user("commander", station=station)
    services.save_email_preferences(commander.id, set())
    adopted_plan(station, adopted_on=ADOPTED)
    report = run(date(2026, 11, 30))
    assert (report.notifications, report.emails_queued) == (1, 0)
    notification = db.session.scalar(select(Notification))
    assert notification.user_id == commander.id
    assert row_count(OutboxEmail) == 0
    assert services.send_outbox().sent == 0
    assert inbox.messages == []


def test_emails_wait_while_smtp_is_down_and_go_once_it_returns(station, smtp):
    inbox, controller = smtp
    factories.make_user("commander", station=station)
    adopted_plan(station, adopted_on=ADOPTED)
    run(date(2026, 11, 30))
    controller.stop()
    report = services.send_outbox()
    assert (report.sent, report.retried) == (0, 1)
    email = db.session.scalar(select(OutboxEmail))
    assert email.status == "queued"
    assert email.attempts == 1
    assert email.last_error
    assert services.send_outbox().retried == 0  # backing off: not yet time to retry
    controller.start()
    db.session.execute(update(OutboxEmail).values(
        next_attempt_at=datetime.now(UTC) - timedelta(seconds=1)))
    db.session.commit()
    assert services.send_outbox().sent == 1
    assert services.send_outbox().sent == 0
    assert len(inbox.messages) == 1
    db.session.refresh(email)
    assert email.status == "sent"
    assert email.attempts == 2


def test_two_concurrent_passes_issue_each_reminder_once(app, station):
    for _ in range(3):
        factories.make_user("commander", station=station)
    adopted_plan(station, adopted_on=ADOPTED)
    other = factories.make_station("EST", "East")
    factories.make_user("commander", station=other)
    adopted_plan(other, adopted_on=ADOPTED)
    barrier, errors = threading.Barrier(2), []

    def one_pass():
        try:
            with app.app_context():
                expect_writes()
                barrier.wait(timeout=10)
                with acting_as("test"):
                    services.run_pass(date(2026, 11, 30))
                db.session.remove()
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=contextvars.Context().run, args=(one_pass,))
               for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert row_count(Reminder) == 2
    assert row_count(Notification) == 4
    assert row_count(OutboxEmail) == 4


def test_only_one_scheduler_holds_the_lock(app):
    with scheduler_lock(app), pytest.raises(SchedulerAlreadyRunning), scheduler_lock(app):
        pass  # pragma: no cover
    with scheduler_lock(app):
        pass


def test_cli_pass_with_today_and_dry_run(app, station):
    factories.make_user("commander", station=station)
    adopted_plan(station, adopted_on=ADOPTED)
    runner = app.test_cli_runner()
    dry = runner.invoke(args=["cpp", "reminders", "run", "--today", "2026-11-30", "--dry-run"])
    assert "Dry run: would issue 1 of 1" in dry.output
    assert row_count(Reminder) == 0
    real = runner.invoke(args=["cpp", "reminders", "run", "--today", "2026-11-30"])
    assert "Issued 1 of 1" in real.output
    again = runner.invoke(args=["cpp", "reminders", "run", "--today", "2026-11-30"])
    assert "Issued 0 of 1 due reminders (1 already issued)" in again.output


def test_notification_pages_and_home(client, login, station):
    commander = factories.make_user("commander", station=station)
    adopted_plan(station, adopted_on=ADOPTED)
    run(date(2026, 11, 30))
    login(commander)
    home = client.get("/home").get_data(as_text=True)
    assert "Needs your attention" in home
    assert "1 unread notification(s)" in home
    page = client.get("/notifications").get_data(as_text=True)
    assert "the plan update is due in 30 days" in page
    post_form(client, "/notifications/read", {}, form_page="/notifications")
    assert services.unread_count(commander.id) == 0
