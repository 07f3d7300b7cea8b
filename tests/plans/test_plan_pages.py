"""Plan and update pages through HTTP: drafting, adoption, the update form, permissions."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from cpp_app.audit.services import acting_as
from cpp_app.extensions import db
from cpp_app.plans import services
from cpp_app.plans.models import Plan, PlannedResponse, Priority, Problem
from cpp_app.updates import services as updates
from cpp_app.updates.models import PlanUpdate
from tests import factories
from tests.factories.plans import adopted_plan, complete_update
from tests.helpers import post_form


def test_commander_drafts_and_adopts_a_plan_through_the_pages(client, login, station):
    owner = factories.make_member(station, shield="4242")
    login(factories.make_user("commander", station=station))
    plan_page = f"/manage/stations/{station.id}/plan"
    assert "has no plan yet" in client.get(plan_page).get_data(as_text=True)
    post_form(client, f"/manage/stations/{station.id}/plan/start", {}, form_page=plan_page)
    plan = db.session.scalar(select(Plan).where(Plan.station_id == station.id))
    assert plan.status == "draft"

    post_form(client, f"/plans/{plan.id}/priorities/new", {
        "title": "Break-ins on Oak Street", "kind": "public_safety", "source": "meeting",
        "evidence": "Raised at the March town hall"})
    priority = db.session.scalar(select(Priority))
    post_form(client, f"/plans/{plan.id}/problems/new", {
        "title": "Car break-ins at the park lot", "priority_id": str(priority.id),
        "sara_stage": "analysis", "location": "Oak Park lot"})
    problem = db.session.scalar(select(Problem))
    response = post_form(client, f"/plans/{plan.id}/responses/new", {
        "problem_id": str(problem.id), "description": "Lighting audit with Parks",
        "kind": "partnership", "owner_shield": "4242", "status": "planned"})
    assert response.status_code == 302
    assert db.session.scalar(select(PlannedResponse)).owner_member_id == owner.id

    page = client.get(plan_page).get_data(as_text=True)
    assert "Break-ins on Oak Street" in page
    assert "Lighting audit with Parks" in page
    assert "100%" in page  # prevention-first share
    response = post_form(client, f"/plans/{plan.id}/adopt", {"adopted_on": "2026-08-31"})
    assert response.status_code == 302
    db.session.refresh(plan)
    assert plan.status == "active"
    page = client.get(plan_page).get_data(as_text=True)
    assert "28 February 2027" in page


def test_unknown_owner_shield_is_reported_beside_the_field(client, login, station):
    login(factories.make_user("commander", station=station))
    with acting_as("test"):
        plan = services.start_plan(station)
        problem = services.save_problem(plan, services.ProblemDetails(title="P"))
    response = post_form(client, f"/plans/{plan.id}/responses/new", {
        "problem_id": str(problem.id), "description": "Foot patrol", "kind": "prevention",
        "owner_shield": "nobody", "status": "planned"})
    body = response.get_data(as_text=True)
    assert "No member has shield number nobody" in body
    assert "Foot patrol" in body


def test_commander_cannot_touch_another_stations_plan_by_url(client, login, station):
    other = factories.make_station("EST", "East")
    plan = adopted_plan(other)
    login(factories.make_user("commander", station=station))
    assert client.get(f"/manage/stations/{other.id}/plan").status_code == 403
    assert client.get(f"/plans/{plan.id}").status_code == 403
    assert client.get(f"/plans/{plan.id}/priorities/new").status_code == 403
    own_page = f"/manage/stations/{station.id}/plan"
    assert post_form(client, f"/manage/stations/{other.id}/updates/new", {},
                     form_page=own_page).status_code == 403
    with acting_as("test"):
        update = updates.start_update(other.id)
    assert client.get(f"/updates/{update.id}").status_code == 403
    assert post_form(client, f"/updates/{update.id}/feedback", {"feedback_summary": "x"},
                     form_page=own_page).status_code == 403


def test_staff_move_only_the_responses_they_own(client, login, station):
    plan = adopted_plan(station, responses=2)
    mine, theirs = plan.responses
    member = factories.make_member(station)
    mine.owner_member_id = member.id
    db.session.commit()
    login(factories.make_user("staff", station=station, member_id=member.id))
    page = f"/manage/stations/{station.id}/plan"
    assert post_form(client, f"/responses/{mine.id}/status", {"status": "in_progress"},
                     form_page=page).status_code == 302
    assert post_form(client, f"/responses/{theirs.id}/status", {"status": "done"},
                     form_page=page).status_code == 403
    db.session.refresh(mine)
    db.session.refresh(theirs)
    assert (mine.status, theirs.status) == ("in_progress", "planned")


def test_update_page_shows_the_checklist_and_refuses_incomplete_submission(
        client, login, station):
    adopted_plan(station)
    login(factories.make_user("commander", station=station))
    page = f"/manage/stations/{station.id}/plan"
    response = post_form(client, f"/manage/stations/{station.id}/updates/new", {},
                         form_page=page)
    update = db.session.scalar(select(PlanUpdate))
    assert response.headers["Location"].endswith(f"/updates/{update.id}")
    body = client.get(f"/updates/{update.id}").get_data(as_text=True)
    assert "Element 1: summarise the community feedback" in body
    assert "Element 4: record how the update" in body
    response = post_form(client, f"/updates/{update.id}/submit", {},
                         form_page=f"/updates/{update.id}", follow_redirects=True)
    assert "The update is not complete" in response.get_data(as_text=True)
    db.session.refresh(update)
    assert update.status == "draft"


def test_change_without_basis_is_refused_and_input_kept(client, login, station):
    plan = adopted_plan(station)
    login(factories.make_user("commander", station=station))
    with acting_as("test"):
        update = updates.start_update(station.id)
    response = post_form(client, f"/updates/{update.id}/changes", {
        "target": "new", "problem_id": str(plan.problems[0].id),
        "description": "Bike patrols on the trail", "kind": "prevention",
        "rationale": "Residents asked"})
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "result-based or community-input-based" in body
    assert "Bike patrols on the trail" in body


def test_admin_approves_and_publishes_then_the_public_page_shows_it(client, login, station):
    plan = adopted_plan(station)
    update = complete_update(plan)
    with acting_as("test"):
        updates.submit(update)
    login(factories.make_user("admin"))
    update_page = f"/updates/{update.id}"
    post_form(client, f"/updates/{update.id}/approve", {}, form_page=update_page)
    post_form(client, f"/updates/{update.id}/publish", {}, form_page=update_page)
    db.session.refresh(update)
    assert update.status == "published"
    public = client.get(f"/stations/{station.code.lower()}").get_data(as_text=True)
    assert "Radar feedback signs" in public
    assert "Because you asked" in public
    assert "Residents still worry about speeding." in public


def test_public_page_never_shows_internal_items(app, station):
    plan = adopted_plan(station)
    # Internal items and notes written straight into the adopted plan.
    secret_problem = Problem(plan_id=plan.id, title="Informant meeting point", is_internal=True,
                             sara_stage="analysis", internal_notes="CI lives at 12 Elm")
    db.session.add(secret_problem)
    db.session.flush()
    db.session.add(PlannedResponse(plan_id=plan.id, problem_id=secret_problem.id,
                                   description="Covert surveillance", kind="enforcement"))
    plan.priorities[0].internal_notes = "Councillor pressure"
    plan.problems[0].internal_notes = "Suspect list in the case file"
    plan.responses[0].internal_notes = "Overtime budget tight"
    db.session.commit()
    update = complete_update(plan)
    update.review_comments = "Reviewer: tone down the numbers"
    db.session.commit()
    with acting_as("test"):
        updates.submit(update)
        updates.approve(update, date(2027, 3, 1))
        updates.publish(update, date(2027, 3, 2))
    body = app.test_client().get(f"/stations/{station.code}").get_data(as_text=True)
    assert "Speeding near the school" in body
    for secret in ("Informant meeting point", "Covert surveillance", "CI lives at 12 Elm",
                   "Councillor pressure", "Suspect list", "Overtime budget",
                   "tone down the numbers"):
        assert secret not in body, secret


def test_public_page_waits_for_publication_of_a_new_version(app, station):
    plan = adopted_plan(station)
    update = complete_update(plan)
    with acting_as("test"):
        updates.submit(update)
        updates.approve(update, date(2027, 3, 1))
    body = app.test_client().get(f"/stations/{station.code}").get_data(as_text=True)
    assert "Version 1" in body
    assert "Radar feedback signs" not in body
    assert "No updates published yet." in body


def test_unknown_station_code_is_404(client):
    assert client.get("/stations/NOPE").status_code == 404


def test_department_overview_lists_overdue_first(client, login, station):
    late = factories.make_station("LATE", "Late")
    adopted_plan(late, adopted_on=date(2024, 1, 31))
    adopted_plan(station, adopted_on=date(2026, 10, 1))
    login(factories.make_user("viewer"))
    body = client.get("/plans").get_data(as_text=True)
    assert body.index("LATE") < body.index("CEN")
    assert "Overdue by" in body


def test_version_history_and_comparison_pages(client, login, station):
    plan = adopted_plan(station)
    update = complete_update(plan)
    with acting_as("test"):
        updates.submit(update)
        updates.approve(update, date(2027, 3, 1))
    login(factories.make_user("viewer"))
    old = client.get(f"/plans/{plan.id}").get_data(as_text=True)
    assert "plan version 1" in old
    assert "Response 0: school-zone outreach" in old
    comparison = client.get(f"/plans/{update.resulting_plan_id}/compare").get_data(as_text=True)
    assert "Added" in comparison
    assert "Radar feedback signs" in comparison
    assert "Changed" in comparison


def test_department_overview_shows_the_open_updates_status_as_its_label(client, login, station):
    plan = adopted_plan(station)
    update = complete_update(plan)
    with acting_as("test"):
        updates.submit(update)
        updates.return_with_comments(update, "Please add the meeting notes.")
    login(factories.make_user("viewer"))
    body = client.get("/plans").get_data(as_text=True)
    assert "Returned with comments" in body
    assert "<td>returned</td>" not in body
