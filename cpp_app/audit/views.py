"""Browsing the audit log (administrators)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import Blueprint, render_template, request
from flask.typing import ResponseReturnValue

from cpp_app.audit import services
from cpp_app.audit.anchors import Anchor, AnchorError, last_anchor
from cpp_app.audit.forms import AuditFilterForm
from cpp_app.audit.labels import entity_label
from cpp_app.audit.models import AuditEvent
from cpp_app.choices import select_choices
from cpp_app.clock import start_of_local_day
from cpp_app.extensions import db
from cpp_app.permissions import Action, permission_required
from cpp_app.stations.scoping import station_choices
from cpp_app.stations.services import all_stations
from cpp_app.viewhelpers import optional_int, paginate

blueprint = Blueprint("audit", __name__, url_prefix="/admin/audit")


@blueprint.route("")
@permission_required(Action.VIEW_AUDIT)
def event_list() -> ResponseReturnValue:
    """Audit events, newest first, filtered and paginated."""
    form = AuditFilterForm(request.args)
    form.entity.choices = select_choices(
        [("", "Any")] + [(kind, entity_label(kind)) for kind in services.known_entity_types()]
    )
    form.station.choices = station_choices(all_stations(), "Any station")
    form.validate()
    filters = services.AuditFilter(
        action=form.action.data or "",
        entity_type=form.entity.data or "",
        actor=form.actor.data or "",
        station_id=optional_int(form.station.data),
        client_address=form.client_address.data if not form.client_address.errors else "",
        date_from=_start_of_day(form.date_from.data),
        date_to=_start_of_day(_day_after(form.date_to.data)),
    )
    page = paginate(services.audit_query(filters))
    return render_template("audit/event_list.html", page=page, form=form,
                           anchor=_last_anchor_or_problem())


@blueprint.route("/<int:sequence>")
@permission_required(Action.VIEW_AUDIT)
def event_detail(sequence: int) -> ResponseReturnValue:
    """One event with its before and after values side by side."""
    audit_event = db.first_or_404(db.select(AuditEvent).where(AuditEvent.sequence == sequence))
    return render_template("audit/event_detail.html", event=audit_event)


def _last_anchor_or_problem() -> Anchor | str | None:
    """The last anchor written by a verify, why it cannot be used, or None if there is none."""
    try:
        return last_anchor()
    except AnchorError as error:
        return str(error)


def _day_after(day: date | None) -> date | None:
    """The next day (the end of a date range is the start of the day after), None after 9999."""
    if day is None or day >= date.max:
        return None
    return day + timedelta(days=1)


def _start_of_day(day: date | None) -> datetime | None:
    """Midnight of a local date, as a UTC instant (None for the first and last days there are).

    Those two are no bound at all, and a zone's offset could push them past datetime's range.
    """
    if day is None or day in (date.min, date.max):
        return None
    return start_of_local_day(day)
