"""The public pages' words for the plan's coded values, and dates, in the visitor's language."""

from __future__ import annotations

from datetime import date

from babel.dates import format_skeleton
from flask_babel import get_locale
from flask_babel import lazy_gettext as _

#: Coded values as the public pages say them, by kind of value; the codes are the plans' own.
PUBLIC_LABELS = {
    "priority_kind": {"public_safety": _("public safety"), "quality_of_life": _("quality of life")},
    "priority_source": {
        "survey": _("a community survey"),
        "meeting": _("a community meeting"),
        "crime_data": _("crime data"),
        "staff": _("station staff"),
        "stakeholder": _("a community partner"),
    },
    "sara_stage": {
        "scanning": _("Scanning"),
        "analysis": _("Analysis"),
        "response": _("Response"),
        "assessment": _("Assessment"),
    },
    "response_kind": {
        "prevention": _("prevention"),
        "partnership": _("partnership"),
        "enforcement": _("enforcement"),
    },
    "response_status": {
        "planned": _("planned"),
        "in_progress": _("in progress"),
        "done": _("done"),
        "on_hold": _("on hold"),
        "cancelled": _("cancelled"),
    },
    "sharing_channel": {
        "public_page": _("Public web page"),
        "meeting": _("Community meeting"),
        "newsletter": _("Newsletter"),
        "social_media": _("Social media"),
        "other": _("Other"),
    },
    "survey_index": {"Trust index": _("Trust index"), "Safety index": _("Safety index")},
}


def public_label(kind: str, code: str) -> str:
    """A coded value in the visitor's language; the code itself when it has no public label."""
    return PUBLIC_LABELS[kind].get(code, code)


def month_year(day: date, abbreviated: bool = False) -> str:
    """A month and year as the visitor's language writes them ("March 2027", "2027年3月")."""
    return format_skeleton("yMMM" if abbreviated else "yMMMM", day, locale=get_locale() or "en")
