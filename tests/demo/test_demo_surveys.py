"""The demo department's surveys: their trust and safety indices show a value."""

from __future__ import annotations

from sqlalchemy import select

from cpp_app.demo.department import seed_demo
from cpp_app.extensions import db
from cpp_app.surveys.models import IndexRole, Survey
from cpp_app.surveys.results import compute_results


def test_every_demo_survey_has_a_trust_and_a_safety_index():
    seed_demo()
    surveys = db.session.scalars(select(Survey)).all()
    assert surveys
    for survey in surveys:
        indices = {index.role: index for index in compute_results(survey).indices}
        for role in (IndexRole.TRUST, IndexRole.SAFETY):
            value = indices[role].value
            assert isinstance(value, float), (survey.title, role, indices[role])
            assert 0 <= value <= 100
