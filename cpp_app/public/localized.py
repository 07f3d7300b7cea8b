"""The public pages' words for the plan's coded values, and dates, in the visitor's language."""

from __future__ import annotations

from datetime import date, datetime

from babel.dates import format_skeleton, format_time
from flask_babel import get_locale
from flask_babel import lazy_gettext as _

from cpp_app.clock import department_zone
from cpp_app.meetings.models import InterpreterStatus
from cpp_app.plans.models import (
    PriorityKind,
    PrioritySource,
    ResponseKind,
    ResponseStatus,
    SaraStage,
)
from cpp_app.surveys.models import IndexRole
from cpp_app.updates.models import SharingChannel

#: Coded values as the public pages say them, by kind of value, keyed by their enums' codes.
PUBLIC_LABELS = {
    "priority_kind": {PriorityKind.PUBLIC_SAFETY: _("public safety"),
                      PriorityKind.QUALITY_OF_LIFE: _("quality of life")},
    "priority_source": {
        PrioritySource.SURVEY: _("a community survey"),
        PrioritySource.MEETING: _("a community meeting"),
        PrioritySource.CRIME_DATA: _("crime data"),
        PrioritySource.STAFF: _("station staff"),
        PrioritySource.STAKEHOLDER: _("a community partner"),
    },
    "sara_stage": {
        SaraStage.SCANNING: _("Scanning"),
        SaraStage.ANALYSIS: _("Analysis"),
        SaraStage.RESPONSE: _("Response"),
        SaraStage.ASSESSMENT: _("Assessment"),
    },
    "response_kind": {
        ResponseKind.PREVENTION: _("prevention"),
        ResponseKind.PARTNERSHIP: _("partnership"),
        ResponseKind.ENFORCEMENT: _("enforcement"),
    },
    "response_status": {
        ResponseStatus.PLANNED: _("planned"),
        ResponseStatus.IN_PROGRESS: _("in progress"),
        ResponseStatus.DONE: _("done"),
        ResponseStatus.ON_HOLD: _("on hold"),
        ResponseStatus.CANCELLED: _("cancelled"),
    },
    "sharing_channel": {
        SharingChannel.PUBLIC_PAGE: _("Public web page"),
        SharingChannel.MEETING: _("Community meeting"),
        SharingChannel.NEWSLETTER: _("Newsletter"),
        SharingChannel.SOCIAL_MEDIA: _("Social media"),
        SharingChannel.OTHER: _("Other"),
    },
    "interpreter_status": {
        InterpreterStatus.PROVIDED: _("interpreter arranged"),
        InterpreterStatus.REQUESTED_NOT_PROVIDED: _("interpreter requested"),
        InterpreterStatus.NOT_REQUESTED: _("no interpreter arranged"),
    },
    "survey_index": {IndexRole.TRUST: _("Trust index"), IndexRole.SAFETY: _("Safety index")},
}


def public_label(kind: str, code: str) -> str:
    """A coded value in the visitor's language; the code itself when it has no public label."""
    return PUBLIC_LABELS[kind].get(code, code)


def month_year(day: date, abbreviated: bool = False) -> str:
    """A month and year as the visitor's language writes them ("March 2027", "2027年3月")."""
    return format_skeleton("yMMM" if abbreviated else "yMMMM", day, locale=get_locale() or "en")


def meeting_time(instant: datetime) -> str:
    """A meeting's start in the department's zone, as the visitor's language writes times.

    The zone's abbreviation follows ("6:30 PM CDT", "18:30 CDT").
    """
    zone = department_zone()
    local = instant.astimezone(zone)
    shown = format_time(local, "short", tzinfo=zone, locale=get_locale() or "en")
    return f"{shown} {local.strftime('%Z')}"
