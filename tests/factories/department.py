"""A sample department with one object of every kind, for the route-permission tests."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from cpp_app.api import services as api_services
from cpp_app.audit.models import AuditEvent
from cpp_app.audit.services import acting_as
from cpp_app.auth.models import User
from cpp_app.engagement.models import EngagementRecord
from cpp_app.extensions import db
from cpp_app.importing.models import ImportJob
from cpp_app.importing.pipeline import run_import
from cpp_app.meetings import services as meeting_services
from cpp_app.outreach import language_access
from cpp_app.outreach import services as outreach_services
from cpp_app.plans import services as plan_services
from cpp_app.reports.models import ReportJob
from cpp_app.stations.member_import import MemberImportSpec
from cpp_app.stations.models import Member, Station
from cpp_app.surveys import services as survey_services
from cpp_app.training import services as training_services
from cpp_app.updates import additions
from cpp_app.updates import services as updates
from tests.factories.stations import make_member, make_station
from tests.factories.users import make_user


@dataclass
class SampleDepartment:
    """Two stations with members, one user per role, a target user, and ids for every URL."""

    station_a: Station
    station_b: Station
    member_a: Member
    member_b: Member
    users: dict[str, User]
    target_user: User
    url_values: dict[str, object] = field(default_factory=dict)
    endpoint_values: dict[str, dict[str, object]] = field(default_factory=dict)
    endpoint_forms: dict[str, dict[str, object]] = field(default_factory=dict)

    def values_for(self, endpoint: str) -> dict[str, object]:
        """The URL values for an endpoint: the shared ones, with its own overrides."""
        return {**self.url_values, **self.endpoint_values.get(endpoint, {})}

    def form_for(self, endpoint: str) -> dict[str, object]:
        """What to POST to an endpoint that needs more than an empty form to find its object."""
        return self.endpoint_forms.get(endpoint, {})


def sample_department(tmp_path: Path) -> SampleDepartment:
    """Build the sample department through the factories and services.

    The roster file it imports is written into `tmp_path`.
    """
    station_a = make_station("STA", "Station A")
    station_b = make_station("STB", "Station B")
    member_a = make_member(station_a, shield="1001")
    member_b = make_member(station_b, shield="2002")
    staff_member = make_member(station_a, shield="1003")
    users = {
        "admin": make_user("admin"),
        "commander": make_user("commander", station_a),
        "staff": make_user("staff", station_a, member_id=staff_member.id),
        "training": make_user("training"),
        "viewer": make_user("viewer"),
    }
    target_user = make_user("viewer", email="target@example.org")

    roster = tmp_path / "roster.csv"
    roster.write_text("Shield number,First name,Last name,Station\n"
                      "3001,Ann,Lee,STA\n"
                      ",No,Shield,STA\n")
    with acting_as("test:security"):
        batch = run_import(MemberImportSpec(), roster).batch
        plan = plan_services.start_plan(station_a, "Station A plan")
        priority = plan_services.save_priority(plan, plan_services.PriorityDetails(
            kind="quality_of_life", source="survey", title="Speeding"))
        problem = plan_services.save_problem(plan, plan_services.ProblemDetails(
            title="Speeding near the school", priority_id=priority.id, sara_stage="analysis"))
        response = plan_services.save_response(plan, plan_services.ResponseDetails(
            problem_id=problem.id, description="School-zone outreach", kind="prevention",
            owner_member_id=staff_member.id))
        plan_services.adopt_plan(plan, date(2026, 8, 31))
        update = updates.start_update(station_a.id)
        change = updates.add_change(update, updates.ChangeDetails(
            problem_id=problem.id, description="Radar feedback signs", kind="prevention",
            basis="result_based", rationale="Speeds fell where signs were tried"))
        new_priority = additions.add_new_priority(update, additions.NewPriorityDetails(
            kind="public_safety", source="staff", title="Garage break-ins",
            basis="result_based", rationale="Calls tripled"))
        new_problem = additions.add_new_problem(update, additions.NewProblemDetails(
            title="Civic Center garage", basis="result_based", rationale="Calls tripled"))
        survey = survey_services.create_survey(survey_services.SurveySettings(
            station_id=station_a.id, languages=["en"], opens_on=None, closes_on=None,
            title={}, introduction={}, thank_you={}), users["commander"].id, True)
        meeting = meeting_services.save_meeting(meeting_services.MeetingDetails(
            station_id=station_a.id, held_on=date(2026, 9, 15), title="Town hall",
            kind="town_hall"))
        feedback_to_delete, feedback_to_promote = (
            meeting_services.add_feedback(meeting, topic, "", "critical")
            for topic in ("Parking", "Speeding"))
        stakeholder = outreach_services.save_stakeholder(outreach_services.StakeholderDetails(
            station_id=station_a.id, name="Al-Noor Mosque", kind="mosque"))
        outreach = outreach_services.log_outreach(outreach_services.OutreachDetails(
            stakeholder_id=stakeholder.id, contacted_on=date(2026, 10, 1), method="visit",
            purpose="Introductions", follow_up_on=date(2026, 10, 15)), None)
        api_token, _secret = api_services.create_token(users["admin"], "Sample RMS",
                                                       ["engagement:read"])
        engagement_record = EngagementRecord(
            occurred_on=date(2026, 9, 1), call_type="COP Activity", station_id=station_a.id,
            identity="security-sample")
        db.session.add(engagement_record)
        db.session.flush()
        course = training_services.save_course(training_services.CourseDetails(
            title="Procedural justice", hours=4))
        volunteer = language_access.save_volunteer(language_access.VolunteerDetails(
            name="Min-ji Park", station_id=station_a.id, languages=["ko"]))
    report_job = ReportJob(report="annual", year=2026, requested_by_id=users["admin"].id,
                           status="done", pdf=b"%PDF-1.7 sample", pdf_size=15)
    db.session.add(report_job)
    import_job = ImportJob(kind="members", filename="roster.csv", stored_name="sample.csv",
                           requested_by_id=users["admin"].id, status="done", batch_id=batch.id)
    db.session.add(import_job)
    db.session.commit()
    audit_sequence = db.session.scalar(select(func.max(AuditEvent.sequence)))

    department = SampleDepartment(
        station_a=station_a, station_b=station_b, member_a=member_a, member_b=member_b,
        users=users, target_user=target_user,
    )
    department.url_values = {
        "station_id": station_a.id,
        "member_id": member_a.id,
        "user_id": target_user.id,
        "batch_id": batch.id,
        "sequence": audit_sequence,
        "plan_id": plan.id,
        "kind": "priorities",
        "item_id": priority.id,
        "response_id": response.id,
        "update_id": update.id,
        "change_id": change.id,
        "code": station_a.code,
        "survey_id": survey.id,
        "question_id": survey.questions[0].id,
        "slug": survey.slug,
        "language": "en",
        "meeting_id": meeting.id,
        "stakeholder_id": stakeholder.id,
        "outreach_id": outreach.id,
        "volunteer_id": volunteer.id,
        "course_id": course.id,
        "record_id": engagement_record.id,
        "token_id": api_token.id,
        "name": "engagement-records",
        "year": 2026,
        "job_id": report_job.id,
    }
    department.endpoint_values = {
        "meetings.feedback_delete": {"item_id": feedback_to_delete.id},
        "importing.job_detail": {"job_id": import_job.id},
        "auth.reset_with_link": {"token": "a-link-that-was-never-sent"},
        "updates.promote_meeting_feedback": {"item_id": feedback_to_promote.id},
        "update_additions.remove_priority": {"item_id": new_priority.id},
        "update_additions.remove_problem": {"item_id": new_problem.id},
    }
    department.endpoint_forms = {
        "updates.update_linked_source": {"kind": "meeting", "object_id": meeting.id},
    }
    return department
