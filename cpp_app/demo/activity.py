"""Demo activity for one station, so every page of the demo has something to show.

That is an adopted plan, a survey with responses, meetings, stakeholders and outreach, training,
and engagement.
"""

from __future__ import annotations

import random
from datetime import date, time, timedelta

from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from cpp_app.clock import today_local
from cpp_app.engagement.models import EngagementRecord
from cpp_app.extensions import db
from cpp_app.meetings import services as meetings
from cpp_app.outreach import language_access
from cpp_app.outreach import services as outreach
from cpp_app.plans import services as plans
from cpp_app.plans.models import Plan
from cpp_app.stations.models import Member, Station
from cpp_app.surveys import services as surveys
from cpp_app.training import services as training
from cpp_app.training.models import TrainingRecord
from cpp_app.updates.translations import plan_texts, save_translations

TOP_ISSUES = ["Speeding on residential streets", "Car break-ins", "Noise at night",
              "Speeding on residential streets", "Lighting in the park", "Car break-ins"]


def seed_activity(station: Station, rng: random.Random) -> None:
    """Add the demo activity once (nothing happens when the station already has a plan)."""
    if db.session.scalar(select(func.count()).select_from(Plan)
                         .where(Plan.station_id == station.id)):
        return
    members = list(db.session.scalars(select(Member).where(
        Member.station_id == station.id, Member.active).order_by(Member.shield_number)))
    today = today_local()
    _plan(station, members, today)
    _survey(station, rng, today)
    _meetings(station, members, today)
    _outreach(station, members, today)
    _training(members, rng, today)
    _engagement(station, members, rng, today)


def _plan(station: Station, members: list[Member], today: date) -> None:
    plan = plans.start_plan(station, "Safer streets and stronger ties with the neighbourhoods "
                                     "of Central, chosen with residents at town halls and in "
                                     "our annual survey.")
    speeding = plans.save_priority(plan, plans.PriorityDetails(
        kind="quality_of_life", source="survey", title="Speeding on residential streets",
        evidence="Named most often as the issue residents want police to deal with."))
    burglary = plans.save_priority(plan, plans.PriorityDetails(
        kind="public_safety", source="crime_data", title="Vehicle break-ins downtown",
        evidence="Up 18% on the year before in the riverfront garages."))
    elm = plans.save_problem(plan, plans.ProblemDetails(
        title="Speeding on Elm Street near Lincoln Elementary", priority_id=speeding.id,
        sara_stage="response", location="Elm St & 5th Ave",
        scanning_notes="Parents reported near misses at school drop-off.",
        analysis_notes="Speeds peak 7:30–8:15; cut-through traffic avoiding Main St."))
    garages = plans.save_problem(plan, plans.ProblemDetails(
        title="Break-ins in riverfront parking garages", priority_id=burglary.id,
        sara_stage="analysis", location="Riverfront garages A–C"))
    for problem, description, kind, owner in (
        (elm, "School-zone safety walks with the PTA", "partnership", members[1]),
        (elm, "Radar feedback signs on Elm Street", "prevention", members[2]),
        (garages, "Lighting and camera survey with the garage operator", "prevention",
         members[3]),
    ):
        plans.save_response(plan, plans.ResponseDetails(
            problem_id=problem.id, description=description, kind=kind,
            owner_member_id=owner.id, start_on=today - timedelta(days=60)))
    _translate(plan, station, speeding.id, burglary.id)
    plans.adopt_plan(plan, today - timedelta(days=150))


#: Human translations of the demo plan's summary and priorities, as a commander would enter
#: them on the plan's Translations page.
PLAN_TRANSLATIONS = {
    "es": ("Calles más seguras y lazos más fuertes con los vecindarios del centro, elegidos con "
           "los residentes en asambleas comunitarias y en nuestra encuesta anual.",
           "Exceso de velocidad en calles residenciales", "Robos en vehículos en el centro"),
    "zh": ("与中心区各社区携手，让街道更安全、联系更紧密；这些重点由居民在社区大会和年度调查中"
           "共同选定。", "住宅街道超速行驶", "市中心车辆盗窃"),
}


def _translate(plan: Plan, station: Station, speeding_id: int, burglary_id: int) -> None:
    for language, (summary, speeding, burglary) in PLAN_TRANSLATIONS.items():
        save_translations(plan_texts(plan, language), language, {
            "plan-summary": summary, f"priority-{speeding_id}-title": speeding,
            f"priority-{burglary_id}-title": burglary}, station.id)


def _survey(station: Station, rng: random.Random, today: date) -> None:
    survey = surveys.create_survey(surveys.SurveySettings(
        station_id=station.id, languages=["en", "es", "zh", "vi", "ko"],
        opens_on=today - timedelta(days=45), closes_on=today + timedelta(days=45),
        title={}, introduction={}, thank_you={}), None, from_template=True)
    surveys.open_survey(survey)
    survey = surveys.survey_with_questions(survey_id=survey.id)
    codes = {question.code: question.id for question in survey.questions}
    for number in range(60):
        form = MultiDict({f"q{codes['feel_safe']}": str(rng.randint(2, 5)),
                          f"q{codes['feel_safe_night']}": str(rng.randint(1, 5)),
                          f"q{codes['police_respect']}": str(rng.randint(1, 5)),
                          f"q{codes['police_listen']}": str(rng.randint(1, 5)),
                          f"q{codes['trust_overall']}": str(rng.randint(3, 10)),
                          f"q{codes['top_issue']}": rng.choice(TOP_ISSUES)})
        language = rng.choice(["en", "en", "en", "es", "es", "zh", "vi", "ko"])
        surveys.submit_response(survey, language, form, today - timedelta(days=number % 40))


def _meetings(station: Station, members: list[Member], today: date) -> None:
    hall = meetings.save_meeting(meetings.MeetingDetails(
        station_id=station.id, held_on=today - timedelta(days=30), title="Autumn town hall",
        kind="town_hall", place="Central Library", attendance=64,
        languages=[meetings.LanguageNeed("es", "provided", interpreter_member_id=members[4].id),
                   meetings.LanguageNeed("ko", "requested_not_provided")]))
    meetings.add_feedback(hall, "Speeding at school drop-off", "Cars race down Elm Street.",
                          "critical")
    meetings.add_feedback(hall, "Thanks for the bike patrols", "", "supportive")
    meetings.save_meeting(meetings.MeetingDetails(
        station_id=station.id, held_on=today - timedelta(days=12),
        title="Business district advisory board", kind="advisory_board", attendance=14,
        is_public=False))
    meetings.save_meeting(meetings.MeetingDetails(
        station_id=station.id, held_on=today + timedelta(days=10), starts_at=time(18, 30),
        title="Winter town hall: traffic near schools", kind="town_hall",
        place="Central Library, 200 Main Street",
        languages=[meetings.LanguageNeed("es", "provided", interpreter_member_id=members[4].id),
                   meetings.LanguageNeed("zh", "requested_not_provided")]))


def _outreach(station: Station, members: list[Member], today: date) -> None:
    for name, kind, flagged in (("Al-Noor Mosque", "mosque", True),
                                ("First Baptist Church", "church", False),
                                ("Downtown Chamber of Commerce", "chamber_of_commerce", False),
                                ("Somali Youth Alliance", "advocacy_group", True)):
        stakeholder = outreach.save_stakeholder(outreach.StakeholderDetails(
            station_id=station.id, name=name, kind=kind, may_distrust_police=flagged,
            contacts=[outreach.ContactDetails("Main contact", "Director")]))
        if name != "Somali Youth Alliance":
            outreach.log_outreach(outreach.OutreachDetails(
                stakeholder_id=stakeholder.id, contacted_on=today - timedelta(days=20),
                method="visit", purpose="Introduce the station's plan and hear concerns",
                member_ids=[members[5].id],
                follow_up_on=today - timedelta(days=2) if kind == "mosque" else None), None)
    language_access.save_volunteer(language_access.VolunteerDetails(
        name="Grace Choi", station_id=station.id, languages=["ko"]))


def _training(members: list[Member], rng: random.Random, today: date) -> None:
    counting = training.save_course(training.CourseDetails(
        title="Procedural justice and community trust", provider="State POST", hours=4))
    online = training.save_course(training.CourseDetails(
        title="Community engagement essentials", provider="Online academy", hours=2,
        delivery="online"))
    sessions = [(counting, today - timedelta(days=days), share) for days, share in
                ((min(today.timetuple().tm_yday - 1, 200), 0.85), (20, 0.65))]
    sessions.append((online, today - timedelta(days=10), 0.5))
    values = []
    for member in members:
        for course, day, share in sessions:
            if rng.random() < share:
                values.append({"member_id": member.id, "course_id": course.id,
                               "completed_on": day, "hours_credited": course.hours,
                               "source": "entered"})
    db.session.execute(TrainingRecord.__table__.insert(), values)
    db.session.commit()


def _engagement(station: Station, members: list[Member], rng: random.Random,
                today: date) -> None:
    call_types = ["COP Relationships", "COP Problem Solving", "COP Activity"]
    places = ["100 MAIN ST", "ELM ST & 5TH AVE", "RIVERFRONT GARAGE B", "CENTRAL LIBRARY"]
    values = [{"occurred_on": today - timedelta(days=rng.randint(0, 180)),
               "call_type": rng.choice(call_types), "shield_number": member.shield_number,
               "member_id": member.id, "station_id": station.id,
               "location": rng.choice(places), "identity": f"demo-{station.code}-{number}"}
              for number, member in enumerate(rng.choices(members, k=300))]
    db.session.execute(EngagementRecord.__table__.insert(), values)
    db.session.commit()
