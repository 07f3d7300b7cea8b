"""Every route has a permission decision, and every role gets exactly what the matrix says."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask, url_for
from werkzeug.routing import Rule

from tests.helpers import ROLES

PUBLIC = "public"
#: Token-authenticated API: a browser session, whatever its role, gets 401 without a token.
TOKEN_ONLY = "token"
EVERY_ROLE = frozenset(ROLES)
ADMIN = frozenset({"admin"})
ADMIN_AND_COMMANDER = frozenset({"admin", "commander"})
STATION_WORKERS = frozenset({"admin", "commander", "staff"})
OUTREACH_READERS = frozenset({"admin", "viewer", "commander", "staff"})
TRAINING_READERS = frozenset({"admin", "training", "viewer", "commander"})
TRAINING_MANAGERS = frozenset({"admin", "training"})

#: endpoint -> who may use it: PUBLIC (anyone, anonymous too) or the roles allowed.
EXPECTED: dict[str, str | frozenset[str]] = {
    "main.index": PUBLIC,
    "main.health": PUBLIC,
    "main.favicon": PUBLIC,
    "auth.login": PUBLIC,
    "auth.login_code": PUBLIC,
    "auth.two_factor_setup": PUBLIC,
    "auth.forgot_password": PUBLIC,
    "auth.reset_with_link": PUBLIC,
    # One's own account.
    "account.account": EVERY_ROLE,
    "account.change_password": EVERY_ROLE,
    "account.new_recovery_codes": EVERY_ROLE,
    "account.two_factor_start": EVERY_ROLE,
    "account.two_factor_setup": EVERY_ROLE,
    "account.two_factor_off": EVERY_ROLE,
    "public.station": PUBLIC,
    # PDF reports.
    "reports.index": EVERY_ROLE,
    "reports.plan_pdf": EVERY_ROLE,
    "reports.update_pdf": EVERY_ROLE,
    "reports.annual_page": EVERY_ROLE,
    # A prepared report is visible to whoever may see that report (the sample is an annual one).
    "reports.job_detail": EVERY_ROLE,
    "reports.job_pdf": EVERY_ROLE,
    "public.home": PUBLIC,
    "public.dashboard": PUBLIC,
    "public.open_data": PUBLIC,
    "public.open_data_csv": PUBLIC,
    "public.station_plan_pdf": PUBLIC,
    "auth.logout": EVERY_ROLE,
    "main.dashboard": EVERY_ROLE,
    # Stations and members.
    "stations.station_list": EVERY_ROLE,
    "stations.station_detail": EVERY_ROLE,
    "stations.station_new": ADMIN,
    "stations.station_edit": ADMIN,
    "stations.member_list": EVERY_ROLE,
    "stations.member_detail": EVERY_ROLE,
    "stations.member_new": ADMIN,
    "stations.member_edit": ADMIN,
    "stations.member_import": ADMIN,
    # User administration.
    "auth.user_list": ADMIN,
    "auth.user_new": ADMIN,
    "auth.user_edit": ADMIN,
    "auth.user_toggle_active": ADMIN,
    "auth.user_reset_password": ADMIN,
    "auth.user_reset_two_factor": ADMIN,
    # Imports and the audit log.
    "importing.batch_list": ADMIN,
    "importing.batch_detail": ADMIN,
    "importing.batch_rejects_csv": ADMIN,
    # A queued import is its requester's (the sample one is the administrator's).
    "importing.job_detail": ADMIN,
    "audit.event_list": ADMIN,
    "audit.event_detail": ADMIN,
    # Plans.
    "updates.department_overview": EVERY_ROLE,
    "plans.station_plan": EVERY_ROLE,
    "plans.plan_version": EVERY_ROLE,
    "plans.compare": EVERY_ROLE,
    "plans.start_plan": ADMIN_AND_COMMANDER,
    "plans.edit_summary": ADMIN_AND_COMMANDER,
    "translations.plan_translations": ADMIN_AND_COMMANDER,
    "plans.edit_item": ADMIN_AND_COMMANDER,
    "plans.delete_item": ADMIN_AND_COMMANDER,
    "plans.adopt": ADMIN_AND_COMMANDER,
    "plans.response_status": STATION_WORKERS,
    # Semi-annual updates.
    "updates.update_detail": EVERY_ROLE,
    "updates.start_update": ADMIN_AND_COMMANDER,
    "updates.update_feedback": ADMIN_AND_COMMANDER,
    "updates.update_source": ADMIN_AND_COMMANDER,
    "updates.update_linked_source": ADMIN_AND_COMMANDER,
    "updates.update_assessment": ADMIN_AND_COMMANDER,
    "updates.update_implementation": ADMIN_AND_COMMANDER,
    "updates.update_change": ADMIN_AND_COMMANDER,
    "updates.update_change_delete": ADMIN_AND_COMMANDER,
    "update_additions.additions_page": ADMIN_AND_COMMANDER,
    "update_additions.add_priority": ADMIN_AND_COMMANDER,
    "update_additions.add_problem": ADMIN_AND_COMMANDER,
    "update_additions.remove_priority": ADMIN_AND_COMMANDER,
    "update_additions.remove_problem": ADMIN_AND_COMMANDER,
    "updates.update_sharing": ADMIN_AND_COMMANDER,
    "translations.update_translations": ADMIN_AND_COMMANDER,
    "updates.update_submit": ADMIN_AND_COMMANDER,
    "updates.update_return": ADMIN,
    "updates.update_approve": ADMIN,
    "updates.update_publish": ADMIN,
    # Surveys: the public form, and the builder (station-scoped like plans).
    "survey_public.survey_form": PUBLIC,
    "survey_public.thanks": PUBLIC,
    "surveys.survey_list": EVERY_ROLE,
    "surveys.survey_detail": EVERY_ROLE,
    "surveys.survey_results": EVERY_ROLE,
    "surveys.survey_export": EVERY_ROLE,
    "surveys.survey_flyer": EVERY_ROLE,
    "reports.survey_flyer_pdf": EVERY_ROLE,
    "surveys.survey_new": ADMIN_AND_COMMANDER,
    "surveys.survey_settings": ADMIN_AND_COMMANDER,
    "surveys.question_edit": ADMIN_AND_COMMANDER,
    "surveys.question_move": ADMIN_AND_COMMANDER,
    "surveys.question_delete": ADMIN_AND_COMMANDER,
    "surveys.survey_open": ADMIN_AND_COMMANDER,
    "surveys.survey_close": ADMIN_AND_COMMANDER,
    "updates.promote_survey_finding": ADMIN_AND_COMMANDER,
    # Community meetings.
    "meetings.meeting_list": EVERY_ROLE,
    "meetings.meeting_detail": EVERY_ROLE,
    "meetings.meeting_edit": STATION_WORKERS,
    "meetings.feedback_add": STATION_WORKERS,
    "meetings.feedback_delete": STATION_WORKERS,
    "updates.promote_meeting_feedback": ADMIN_AND_COMMANDER,
    # Stakeholder outreach (training coordinators have no part in it).
    "outreach.dashboard": OUTREACH_READERS,
    "outreach.outreach_list": OUTREACH_READERS,
    "outreach.outreach_new": STATION_WORKERS,
    "outreach.follow_up_done": STATION_WORKERS,
    "outreach.stakeholder_list": OUTREACH_READERS,
    "outreach.stakeholder_detail": OUTREACH_READERS,
    "outreach.stakeholder_edit": STATION_WORKERS,
    "outreach.stakeholder_import": ADMIN_AND_COMMANDER,
    # Language access.
    "outreach.language_access": EVERY_ROLE,
    "outreach.volunteer_edit": STATION_WORKERS,
    # Training compliance.
    "training.dashboard": TRAINING_READERS,
    "training.export_short": TRAINING_READERS,
    "training.member_training": TRAINING_READERS,
    "training.course_list": TRAINING_READERS,
    "training.course_edit": TRAINING_MANAGERS,
    "training.record_new": TRAINING_MANAGERS,
    "training.import_upload": TRAINING_MANAGERS,
    "training.import_mapping": TRAINING_MANAGERS,
    # Engagement records.
    "engagement.overview": EVERY_ROLE,
    "engagement.record_list": EVERY_ROLE,
    "engagement.export": EVERY_ROLE,
    "engagement.import_upload": STATION_WORKERS,
    "engagement.unknown_shields": ADMIN,
    "engagement.rules": ADMIN_AND_COMMANDER,
    "engagement.link_problem": ADMIN_AND_COMMANDER,
    # API v1 (token-authenticated; tested in tests/api) and the token pages.
    "api.openapi": PUBLIC,
    "api.list_engagement_records": TOKEN_ONLY,
    "api.push_engagement_records": TOKEN_ONLY,
    "api_tokens.token_list": EVERY_ROLE,
    # Everyone's own notifications and email preferences.
    "notifications.notification_list": EVERY_ROLE,
    "notifications.mark_read": EVERY_ROLE,
    "notifications.preferences": EVERY_ROLE,
    # Everyone revokes only their own tokens; the sample token is the administrator's.
    "api_tokens.token_revoke": ADMIN,
    # Administrators see and revoke every user's tokens.
    "admin_tokens.all_tokens": ADMIN,
    "admin_tokens.admin_revoke": ADMIN,
}

SKIPPED_ENDPOINTS = {"static", "bootstrap.static"}

#: Endpoints that end every session of the acting user: requested after all the others.
ENDS_OWN_SESSION = {"auth.logout"}

IDENTITIES = ["anonymous", *ROLES]


def checked_rules(app: Flask) -> list[Rule]:
    """Every rule except the static files, in a stable order, logging out last."""
    rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint not in SKIPPED_ENDPOINTS]
    return sorted(rules, key=lambda rule: (rule.endpoint in ENDS_OWN_SESSION, rule.endpoint,
                                           rule.rule))


def request_method(rule: Rule) -> str:
    """GET when the rule allows it, else POST."""
    return "GET" if "GET" in rule.methods else "POST"


def is_login_redirect(response) -> bool:
    """Whether the response sends the browser to the login page."""
    if response.status_code not in (301, 302, 303, 307, 308):
        return False
    return urlsplit(response.headers.get("Location", "")).path == "/login"


def is_login_gate(response) -> bool:
    """A redirect to /login carrying `next`: Flask-Login turning an anonymous visitor away."""
    location = urlsplit(response.headers.get("Location", ""))
    return is_login_redirect(response) and "next" in parse_qs(location.query)


def build_url(app: Flask, rule: Rule, values: dict[str, object]) -> str:
    """The URL of exactly this rule, with the sample objects' ids filled in."""
    missing = sorted(rule.arguments - values.keys())
    assert not missing, (
        f"{rule.rule} ({rule.endpoint}) needs {missing}: add a sample object for it in "
        "tests/factories/department.py"
    )
    with app.test_request_context():
        url = url_for(rule.endpoint, **{name: values[name] for name in rule.arguments})
    matched, _ = app.url_map.bind("localhost").match(url, request_method(rule),
                                                     return_rule=True)
    assert matched is rule, f"url_for built {url} for {rule.rule}, which routes elsewhere"
    return url


def outcome_problem(identity: str, allowed: str | frozenset[str], response) -> str | None:
    """What is wrong with the response for this identity, or None when it is right."""
    status = response.status_code
    if status >= 500:
        return f"server error {status}"
    if allowed == TOKEN_ONLY:
        return None if status == 401 else f"got {status} without a token, expected 401"
    if allowed == PUBLIC:
        if status == 403 or (identity == "anonymous" and is_login_gate(response)):
            return f"public page refused ({status}, {response.headers.get('Location')})"
        return None
    if identity == "anonymous":
        if not (status == 302 and is_login_redirect(response)):
            return f"anonymous got {status}, expected a 302 redirect to /login"
        return None
    if identity not in allowed:
        return None if status == 403 else f"got {status}, expected 403"
    if status in (403, 404) or is_login_gate(response):
        return f"allowed role refused ({status}, {response.headers.get('Location')})"
    return None


def test_every_route_has_a_permission_decision(app):
    missing = sorted({rule.endpoint for rule in checked_rules(app)} - EXPECTED.keys())
    assert not missing, (
        "no permission decision for " + ", ".join(missing)
        + ": add it to the matrix with its expected roles (EXPECTED in "
        "tests/security/test_route_permission_matrix.py)"
    )


def test_matrix_names_only_routes_that_exist(app):
    endpoints = {rule.endpoint for rule in checked_rules(app)}
    stale = sorted(EXPECTED.keys() - endpoints)
    assert not stale, f"the matrix names endpoints the app no longer has: {stale}"


@pytest.mark.parametrize("identity", IDENTITIES)
def test_each_route_answers_each_identity_as_the_matrix_says(app, sample, login_as, identity):
    user = sample.users.get(identity)
    client = login_as(user) if user else app.test_client()
    problems, requested = [], set()
    for rule in checked_rules(app):
        allowed = EXPECTED.get(rule.endpoint)
        if allowed is None:
            continue  # reported by test_every_route_has_a_permission_decision
        url = build_url(app, rule, sample.values_for(rule.endpoint))
        method = request_method(rule)
        form = sample.form_for(rule.endpoint) if method == "POST" else None
        response = client.open(url, method=method, data=form)
        requested.add(rule.endpoint)
        problem = outcome_problem(identity, allowed, response)
        if problem:
            problems.append(f"{method} {url} ({rule.endpoint}) as {identity}: {problem}")
    assert requested == set(EXPECTED)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("role", ["commander", "staff"])
def test_station_bound_roles_open_only_their_own_stations_members(sample, login_as, role):
    client = login_as(sample.users[role])
    assert client.get(f"/members/{sample.member_a.id}").status_code == 200
    assert client.get(f"/members/{sample.member_b.id}").status_code == 403


@pytest.mark.parametrize("role", ["commander", "staff"])
def test_station_bound_roles_open_only_their_own_stations_plan(sample, login_as, role):
    client = login_as(sample.users[role])
    assert client.get(f"/manage/stations/{sample.station_a.id}/plan").status_code == 200
    assert client.get(f"/manage/stations/{sample.station_b.id}/plan").status_code == 403


def test_department_wide_roles_open_members_of_every_station(sample, login_as):
    for role in ("admin", "training", "viewer"):
        client = login_as(sample.users[role])
        assert client.get(f"/members/{sample.member_b.id}").status_code == 200, role


def test_commander_member_list_shows_only_their_own_station(sample, login_as):
    client = login_as(sample.users["commander"])
    body = client.get("/members").get_data(as_text=True)
    assert sample.member_a.shield_number in body
    assert sample.member_b.shield_number not in body
    asked_for_b = client.get(f"/members?station={sample.station_b.id}")
    assert asked_for_b.status_code == 200
    assert "No members match these filters." in asked_for_b.get_data(as_text=True)
    assert sample.member_b.shield_number not in asked_for_b.get_data(as_text=True)
