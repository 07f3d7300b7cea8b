"""The department overview labels due dates as due dates and shows the last publication date."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from cpp_app.audit.services import acting_as
from cpp_app.extensions import db
from cpp_app.updates import services as updates
from cpp_app.updates.overview import station_statuses
from tests import factories
from tests.factories.plans import adopted_plan, complete_update


def test_an_update_done_early_shows_its_due_date_as_due_and_when_it_was_published(
        client, login, station):
    plan = adopted_plan(station, adopted_on=date(2026, 8, 31))
    update = complete_update(plan)
    with acting_as("test"):
        updates.submit(update, date(2026, 11, 20))
        updates.approve(update, date(2026, 11, 25))
        updates.publish(update, date(2026, 11, 26))
    update.published_at = datetime(2026, 11, 26, 17, tzinfo=UTC)
    db.session.commit()
    row = station_statuses([station.id])[0]
    assert row.last_update_on == date(2027, 2, 28)
    assert row.last_published_on == date(2026, 11, 26)
    login(factories.make_user("admin"))
    html = client.get("/plans").get_data(as_text=True)
    text = " ".join(re.sub(r"<[^>]+>", " ", html).split())
    assert "Last completed update (due date)" in text
    assert "Last published" in text
    assert "due 2027-02-28 2026-11-26" in text
