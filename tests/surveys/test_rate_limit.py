"""The public survey form is rate-limited per client, with a polite page in the language."""

from __future__ import annotations

import pytest

from cpp_app.extensions import db
from tests.factories.surveys import template_survey
from tests.helpers import make_test_app


@pytest.mark.usefixtures("limiter_restored")
def test_too_many_submissions_get_a_translated_429(app, tmp_path, station):
    survey = template_survey(station)
    limited = make_test_app(tmp_path, RATELIMIT_ENABLED=True,
                            SQLALCHEMY_DATABASE_URI=app.config["SQLALCHEMY_DATABASE_URI"])
    client = limited.test_client()
    statuses = [client.post(f"/s/{survey.slug}?lang=es", data={"lang": "es"}).status_code
                for _ in range(31)]
    assert statuses[:30] == [400] * 30
    assert statuses[30] == 429
    page = client.post(f"/s/{survey.slug}?lang=es", data={"lang": "es"})
    assert "espere un minuto y envíelas de nuevo" in page.get_data(as_text=True)
    assert "Espere un minuto" in client.post("/s/no-such-survey?lang=es").get_data(as_text=True)
    with limited.app_context():
        db.engine.dispose()
