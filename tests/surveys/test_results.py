"""Survey results: indices with the more-than-half rule, distributions, suppression, export."""

from __future__ import annotations

import csv
import io

import pytest

from cpp_app.surveys.results import answers_by_survey, compute_results
from tests import factories
from tests.factories.surveys import respond, template_survey


@pytest.fixture
def answered_survey(station):
    """The template survey with two responses, one in English and one in Spanish."""
    survey = template_survey(station)
    # Trust items: police_respect, police_listen (agree5) and trust_overall (scale10).
    respond(survey, feel_safe=5, feel_safe_night=3, police_respect=5, police_listen=4,
            trust_overall=8, top_issue="Speeding!")
    respond(survey, "es", feel_safe=1, police_respect=2, police_listen=1,
            top_issue="speeding")
    return survey


def test_indices_follow_the_published_formula(answered_survey):
    results = compute_results(answered_survey)
    trust, safety = results.indices
    # Respondent 1: respect 100, listen 75, overall 80 → 85. Respondent 2: 25, 0 → 12.5.
    assert trust.respondents == 2
    assert trust.value == pytest.approx((85 + 12.5) / 2, abs=0.05)
    # Safety items: feel_safe, feel_safe_night. R1: 100, 50 → 75. R2: 0 (1 of 2 items is not
    # more than half) → not counted.
    assert safety.respondents == 1
    assert safety.value == 75.0


def test_distributions_means_languages_and_top_issues(answered_survey):
    results = compute_results(answered_survey)
    assert results.responses == 2
    assert dict(results.by_language) == {"en": 1, "es": 1}
    feel_safe = results.questions[0]
    assert feel_safe.mean == 3.0
    assert dict(feel_safe.counts)["Strongly agree"] == 1
    assert results.top_issues == [("speeding", 2)]


def test_small_groups_are_suppressed_for_public_use(answered_survey):
    results = compute_results(answered_survey, min_count=10, include_texts=False)
    assert results.suppressed
    assert results.top_issues == []
    assert len(results.indices) == 2
    assert all(index.value is None for index in results.indices)
    assert dict(results.by_language) == {"en": None, "es": None}
    assert len(results.questions) == len(answered_survey.questions)
    assert all(item.suppressed for item in results.questions)


def test_answers_loaded_together_give_the_same_results(answered_survey, station):
    unanswered, later = template_survey(station), template_survey(station)
    respond(later, feel_safe=2, police_respect=4, police_listen=3)
    answers = dict(answers_by_survey([later.id, unanswered.id, answered_survey.id]))
    assert list(answers) == sorted(answers)
    assert answers[unanswered.id].empty
    for survey, responses in ((answered_survey, 2), (unanswered, 0), (later, 1)):
        alone = compute_results(survey, min_count=1)
        together = compute_results(survey, min_count=1, answers=answers[survey.id])
        assert alone.responses == responses
        assert together == alone


def test_results_page_shows_the_formula_and_open_text(client, login, answered_survey, station):
    login(factories.make_user("commander", station=station))
    body = client.get(f"/surveys/{answered_survey.id}/results").get_data(as_text=True)
    assert "How the indices are computed" in body
    assert "more than half" in body
    assert "Speeding!" in body


def test_export_is_safe_against_formula_injection(client, login, station):
    survey = template_survey(station)
    respond(survey, feel_safe=4, police_respect=4, police_listen=4,
            top_issue='=HYPERLINK("http://evil.example","x")')
    login(factories.make_user("admin"))
    response = client.get(f"/surveys/{survey.id}/responses.csv")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    header, row = rows[0], rows[1]
    assert header[:3] == ["response_id", "submitted_on", "language"]
    assert row[header.index("top_issue")].startswith("'=HYPERLINK")
    assert row[header.index("feel_safe")] == "4"


def test_flyer_has_a_qr_code_of_the_link(client, login, station):
    survey = template_survey(station)
    login(factories.make_user("staff", station=station))
    body = client.get(f"/surveys/{survey.id}/flyer/es").get_data(as_text=True)
    assert 'src="data:image/svg+xml' in body
    assert f"/s/{survey.slug}?lang=es" in body
    assert "Encuesta sobre seguridad y confianza" in body
    assert client.get(f"/surveys/{survey.id}/flyer/fr").status_code == 404
