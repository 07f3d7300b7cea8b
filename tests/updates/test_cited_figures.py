"""The figures an update cites are frozen when it is submitted, and compared fairly.

Data arriving later changes neither its page, its PDF nor the public page; a returned update is
frozen again when it is submitted again. Engagement before and after a problem's responses is
compared only over complete windows of equal length, and the station's engagement in the period
is given by type.
"""

from __future__ import annotations

import io
import re
from datetime import date, timedelta
from itertools import count

from pypdf import PdfReader

from cpp_app.audit.models import AuditEvent
from cpp_app.audit.services import acting_as
from cpp_app.engagement.models import EngagementRecord
from cpp_app.engagement.services import problem_activity
from cpp_app.extensions import db
from cpp_app.plans.models import PlannedResponse
from cpp_app.reports.services import update_context
from cpp_app.updates import services as updates
from cpp_app.updates.figures import live_figures, update_figures
from tests import factories
from tests.factories.plans import adopted_plan, complete_update
from tests.factories.surveys import respond, template_survey

IDENTITIES = count()


def add_records(days, call_type="COP Activity", station=None, problem=None) -> None:
    """Engagement records on these days, for a station or a problem."""
    db.session.add_all(EngagementRecord(
        occurred_on=day, call_type=call_type, identity=f"fig-{next(IDENTITIES)}",
        station_id=station.id if station else None, problem_id=problem.id if problem else None)
        for day in days)
    db.session.commit()


def page_text(client, url: str) -> str:
    """A page's text with its whitespace and tags flattened."""
    html = re.sub(r"</?(em|strong|span|a)\b[^>]*>", "", client.get(url).get_data(as_text=True))
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def pdf_text(client, url: str) -> str:
    """The text of a PDF download."""
    response = client.get(url)
    assert response.mimetype == "application/pdf"
    return " ".join(" ".join(page.extract_text() for page in
                             PdfReader(io.BytesIO(response.data)).pages).split())


def submitted_update(station, today=date(2027, 3, 1)):
    """A complete update with two station records and one survey answer in its period."""
    plan = adopted_plan(station)
    update = complete_update(plan)
    inside = update.period_start + timedelta(days=20)
    add_records([inside], station=station)
    add_records([inside], call_type="COP Relationships", station=station)
    survey = template_survey(station, languages=("en",))
    respond(survey, today=inside, feel_safe=4, police_respect=3, police_listen=4,
            top_issue="Speeding")
    with acting_as("test"):
        updates.submit(update, today)
    return update, survey, inside


def test_data_arriving_after_submission_does_not_change_the_published_update(
        client, login, station):
    update, survey, inside = submitted_update(station)
    with acting_as("test"):
        updates.approve(update, date(2027, 3, 5))
        updates.publish(update, date(2027, 3, 6))
    login(factories.make_user("admin"))
    url = f"/updates/{update.id}"
    before = page_text(client, url)
    total = f"Engagement records for {station.code}, {update.period_start} to " \
            f"{update.period_end}: 2"
    assert total in before
    assert "1 responses" in before
    add_records([inside, inside + timedelta(days=1), inside], station=station)
    add_records([inside], problem=update.plan.problems[0])
    respond(survey, today=inside, feel_safe=2, police_respect=2, police_listen=2,
            top_issue="Noise")
    assert live_figures(update, date(2027, 3, 7)).engagement_total == 5  # the data did arrive
    after = page_text(client, url)
    assert total in after
    assert "1 responses" in after
    assert "2 responses" not in after
    assert "Figures as they stood when the update was submitted (2027-03-01)" in after
    assert update_context(update.id)["figures"].engagement_total == 2
    assert total in pdf_text(client, f"/reports/update/{update.id}.pdf")
    public = page_text(client, f"/stations/{station.code}")
    assert "Community engagement activities in this period: 2" in public


def test_a_returned_update_is_frozen_again_when_submitted_again(station):
    update, _survey, inside = submitted_update(station)
    with acting_as("test"):
        updates.return_with_comments(update, "Add the November meeting")
    add_records([inside], station=station)
    assert update_figures(update, date(2027, 3, 2)).engagement_total == 3  # editable: live
    assert update.cited_figures["engagement_by_type"] == [["COP Activity", 1],
                                                          ["COP Relationships", 1]]
    with acting_as("test"):
        updates.submit(update, date(2027, 3, 3))
    add_records([inside], station=station)
    figures = update_figures(update, date(2027, 3, 4))
    assert figures.frozen
    assert figures.computed_on == date(2027, 3, 3)
    assert figures.engagement_by_type == [("COP Activity", 2), ("COP Relationships", 1)]


def test_the_station_total_counts_its_records_in_the_period_by_type(station):
    plan = adopted_plan(station)
    with acting_as("test"):
        update = updates.start_update(station.id)
    other = factories.make_station("EST", "East")
    inside = update.period_start + timedelta(days=3)
    add_records([inside, update.period_end], station=station)
    add_records([inside], call_type="COP Problem Solving", station=station)
    add_records([update.period_start - timedelta(days=1),
                 update.period_end + timedelta(days=1)], station=station)
    add_records([inside], station=other)
    figures = live_figures(update, date(2027, 3, 1))
    assert figures.engagement_by_type == [("COP Activity", 2), ("COP Problem Solving", 1)]
    assert figures.engagement_total == 3
    assert plan.station_id == station.id


def test_the_after_window_is_compared_only_once_complete(station):
    plan = adopted_plan(station)
    problem = plan.problems[0]
    start = date(2026, 9, 1)
    db.session.execute(PlannedResponse.__table__.update().values(start_on=start))
    add_records([start - timedelta(days=91), start - timedelta(days=90),
                 start - timedelta(days=1), start, start + timedelta(days=89),
                 start + timedelta(days=90)], problem=problem)
    complete = problem_activity([problem.id], start + timedelta(days=89))[problem.id]
    assert (complete.before, complete.after, complete.complete) == (2, 2, True)
    assert complete.after_ends_on == start + timedelta(days=89)
    partial = problem_activity([problem.id], start + timedelta(days=59))[problem.id]
    assert (partial.before, partial.after, partial.complete) == (2, 1, False)


def test_the_update_page_and_pdf_label_an_incomplete_window(client, login, station,
                                                             monkeypatch):
    plan = adopted_plan(station)
    problem = plan.problems[0]
    start = date(2026, 10, 1)
    db.session.execute(PlannedResponse.__table__.update().values(start_on=start))
    add_records([start - timedelta(days=5), start + timedelta(days=5)], problem=problem)
    with acting_as("test"):
        update = updates.start_update(station.id)
    today = start + timedelta(days=59)
    monkeypatch.setattr("cpp_app.updates.views.today_local", lambda: today)
    monkeypatch.setattr("cpp_app.reports.services.today_local", lambda: today)
    login(factories.make_user("commander", station=station))
    text = page_text(client, f"/updates/{update.id}")
    assert ("1 record in the 90 days before its responses started (2026-10-01); the 90 days "
            "after end on 2026-12-29: not yet complete, so not compared (1 so far).") in text
    assert "not yet complete" in pdf_text(client, f"/reports/update/{update.id}.pdf")


def test_the_day_the_figures_were_frozen_is_kept(station):
    update, _survey, _inside = submitted_update(station, today=date(2027, 3, 1))
    assert update.figures_frozen_on == date(2027, 3, 1)
    assert update.cited_figures["computed_on"] == "2027-03-01"


def test_the_submission_audit_event_keeps_the_frozen_figures(station):
    update, _survey, _inside = submitted_update(station)
    event = db.session.scalar(db.select(AuditEvent).where(AuditEvent.action == "update.submit"))
    assert event.after["cited_figures"]["engagement_by_type"] == [["COP Activity", 1],
                                                                 ["COP Relationships", 1]]
    assert event.before["cited_figures"] is None


def test_an_update_submitted_before_figures_were_kept_says_so(client, login, station):
    update, _survey, _inside = submitted_update(station)
    update.cited_figures = None
    db.session.commit()
    login(factories.make_user("admin"))
    text = page_text(client, f"/updates/{update.id}")
    assert "this update was submitted before figures were kept with it" in text
