"""A station with everything the public pages show published, and internal items they must not."""

from __future__ import annotations

from datetime import date

from cpp_app.audit.services import acting_as
from cpp_app.engagement.models import EngagementRecord
from cpp_app.extensions import db
from cpp_app.meetings import services as meetings
from cpp_app.plans.models import Plan, PlannedResponse, Problem
from cpp_app.updates import services as updates
from tests.factories.plans import adopted_plan, complete_update

#: Texts publish_everything stores where only staff may see them.
SECRETS = ("Informant meeting point", "Covert surveillance", "CI lives at 12 Elm",
           "Suspect list", "Overtime budget", "OFFICER-SHIELD-9999")


def publish_everything(station) -> Plan:
    """Give `station` everything the portal could show; return the first plan version.

    That is an adopted plan with internal items, a published update, an engagement record and a
    meeting with an interpreter.
    """
    plan = adopted_plan(station)
    secret = Problem(plan_id=plan.id, title="Informant meeting point", is_internal=True,
                     internal_notes="CI lives at 12 Elm")
    db.session.add(secret)
    db.session.flush()
    db.session.add(PlannedResponse(plan_id=plan.id, problem_id=secret.id,
                                   description="Covert surveillance", kind="enforcement"))
    plan.problems[0].internal_notes = "Suspect list in the case file"
    plan.responses[0].internal_notes = "Overtime budget tight"
    db.session.add(EngagementRecord(occurred_on=date(2026, 5, 1), call_type="COP Activity",
                                    shield_number="OFFICER-SHIELD-9999", location="=1+1",
                                    station_id=station.id, identity="portal-1"))
    db.session.commit()
    update = complete_update(plan)
    with acting_as("test"):
        updates.submit(update)
        updates.approve(update, date(2027, 3, 1))
        updates.publish(update, date(2027, 3, 2))
        meetings.save_meeting(meetings.MeetingDetails(
            station_id=station.id, held_on=date(2026, 9, 1), title="Private title",
            kind="town_hall", attendance=40,
            languages=[meetings.LanguageNeed("es", "provided", interpreter_name="Rosa")]))
    return plan
