"""Stakeholders, the outreach log, coverage, follow-ups, language access and the import."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from cpp_app.audit.services import acting_as
from cpp_app.extensions import db
from cpp_app.importing.pipeline import run_import
from cpp_app.meetings import services as meetings
from cpp_app.outreach import language_access, services
from cpp_app.outreach.importing import StakeholderImportSpec
from cpp_app.outreach.models import OutreachContact, Stakeholder
from tests import factories
from tests.helpers import counting_queries, log_in, post_form

TODAY = date(2026, 11, 22)


def make_stakeholder(station, name="Al-Noor Mosque", kind="mosque", **fields):
    """A saved stakeholder of the station."""
    with acting_as("test"):
        return services.save_stakeholder(services.StakeholderDetails(
            station_id=station.id, name=name, kind=kind, **fields))


def log(stakeholder, on=date(2026, 11, 2), follow_up=None):
    """A visit to the stakeholder logged on `on`, with an optional follow-up date."""
    with acting_as("test"):
        return services.log_outreach(services.OutreachDetails(
            stakeholder_id=stakeholder.id, contacted_on=on, method="visit",
            purpose="Introductions", follow_up_on=follow_up), None)


def test_contacts_are_validated(station):
    with pytest.raises(services.OutreachError, match="email 'imam@' is not valid"):
        make_stakeholder(station, contacts=[services.ContactDetails("Imam", email="imam@")])
    with pytest.raises(services.OutreachError, match="7 to 15 digits"):
        make_stakeholder(station, contacts=[services.ContactDetails("Imam", phone="12")])
    stakeholder = make_stakeholder(station, contacts=[services.ContactDetails(
        "Imam Yusuf", "Imam", "Imam@Example.org", "(405) 555-0100")])
    assert stakeholder.contacts[0].email == "Imam@example.org"


def test_coverage_counts_kinds_by_month_and_shows_the_gaps(station):
    mosque = make_stakeholder(station)
    church = make_stakeholder(station, "First Baptist", "church", may_distrust_police=False)
    make_stakeholder(station, "Somali Youth Alliance", "advocacy_group", may_distrust_police=True)
    log(mosque, date(2026, 11, 2))
    log(mosque, date(2026, 10, 5))
    log(church, date(2026, 4, 1))  # outside the last six months
    result = services.coverage(TODAY, 6, station.id)
    assert result.months[0] == date(2026, 6, 1)
    assert result.months[-1] == date(2026, 11, 1)
    assert result.counts["mosque"] == {date(2026, 11, 1): 1, date(2026, 10, 1): 1}
    assert "church" in result.kinds_without_outreach
    assert "synagogue" in result.kinds_without_outreach
    assert "mosque" not in result.kinds_without_outreach
    assert [s.name for s in result.unreached_flagged] == ["Somali Youth Alliance"]
    assert services.coverage(TODAY, 12, station.id).total("church") == 1


def test_overdue_follow_ups(station):
    mosque = make_stakeholder(station)
    overdue = log(mosque, date(2026, 11, 1), follow_up=date(2026, 11, 10))
    log(mosque, date(2026, 11, 1), follow_up=date(2026, 12, 10))
    assert services.overdue_follow_ups(TODAY, station.id) == [overdue]
    with acting_as("test"):
        services.complete_follow_up(overdue)
    assert services.overdue_follow_ups(TODAY, station.id) == []


def test_staff_log_outreach_only_for_their_station(client, login, station):
    other = factories.make_station("EST", "East")
    foreign = make_stakeholder(other, "East Chamber", "chamber_of_commerce")
    mine = make_stakeholder(station)
    member = factories.make_member(station, shield="777")
    login(factories.make_user("staff", station=station))
    response = post_form(client, "/outreach/new", {
        "stakeholder_id": str(mine.id), "contacted_on": "2026-11-20", "method": "visit",
        "member_shields": "777", "purpose": "Ramadan safety briefing",
        "critical_comments": "Stops of young men feel unfair",
        "critical_response": "Invited them to the advisory board",
        "follow_up_on": "2026-12-01"})
    assert response.status_code == 302
    logged = db.session.scalar(select(OutreachContact))
    assert logged.members[0].id == member.id
    assert logged.follow_up_on == date(2026, 12, 1)
    response = post_form(client, "/outreach/new", {
        "stakeholder_id": str(foreign.id), "contacted_on": "2026-11-20", "method": "visit",
        "purpose": "x"}, form_page="/outreach/new")
    body = response.get_data(as_text=True)
    assert response.status_code == 200  # not a stakeholder they may choose
    assert '<div id="stakeholder_id-errors"' in body
    assert "Not a valid choice." in body
    assert db.session.scalar(select(OutreachContact).where(
        OutreachContact.stakeholder_id == foreign.id)) is None
    assert client.get(f"/stakeholders/{foreign.id}").status_code == 403


def test_commander_sees_own_station_and_admin_sees_all(app, client, login, station):
    other = factories.make_station("EST", "East")
    make_stakeholder(station, "Own Mosque")
    make_stakeholder(other, "Other Synagogue", "synagogue")
    login(factories.make_user("commander", station=station))
    body = client.get("/stakeholders").get_data(as_text=True)
    assert "Own Mosque" in body
    assert "Other Synagogue" not in body
    asked_for_other = client.get(f"/stakeholders?station={other.id}")
    assert asked_for_other.status_code == 200
    assert "Own Mosque" in asked_for_other.get_data(as_text=True)
    assert "Other Synagogue" not in asked_for_other.get_data(as_text=True)
    admin = app.test_client()
    assert log_in(admin, factories.make_user("admin").email).status_code == 302
    everything = admin.get("/stakeholders").get_data(as_text=True)
    assert "Own Mosque" in everything
    assert "Other Synagogue" in everything


def test_training_coordinators_have_no_outreach_pages(client, login):
    login(factories.make_user("training"))
    assert client.get("/outreach").status_code == 403


def test_meeting_needing_korean_suggests_the_station_speaker_first(client, login, station):
    other = factories.make_station("EST", "East")
    factories.make_member(other, first_name="Far", last_name="Away", languages=["ko"])
    factories.make_member(station, first_name="Ji-woo", last_name="Park", languages=["ko"])
    with acting_as("test"):
        meeting = meetings.save_meeting(meetings.MeetingDetails(
            station_id=station.id, held_on=date(2026, 11, 10), title="Korean church forum",
            kind="faith_based",
            languages=[meetings.LanguageNeed("ko", "requested_not_provided")]))
        language_access.save_volunteer(language_access.VolunteerDetails(
            name="Grace Choi", station_id=None, languages=["ko"]))
    found = language_access.speakers("ko", station.id)
    assert [person.name for person in found] == ["Ji-woo Park", "Far Away", "Grace Choi"]
    login(factories.make_user("staff", station=station))
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert page.index("Ji-woo Park") < page.index("Far Away")
    access = client.get("/language-access?language=Korean").get_data(as_text=True)
    assert "Grace Choi" in access
    assert "Korean church forum" in access


def test_import_is_idempotent_and_reports_rejects(tmp_path, station):
    directory = tmp_path / "stakeholders.csv"
    directory.write_text(
        "Station,Organisation,Kind,Contact name,Email,Phone,Languages served,May distrust police\n"
        f"{station.code},Al-Noor Mosque,Mosque,Imam Yusuf,imam@example.org,405-555-0100,"
        "Arabic; Somali,yes\n"
        f"{station.code},Al-Noor Mosque,Mosque,Aisha Omar,aisha@example.org,,,yes\n"
        f"{station.code},Temple Beth El,Synagogue,Rabbi Levi,not-an-email,,,no\n"
        f"NOPE,Ghost Org,Church,,,,,\n"
        f"{station.code},Downtown Chamber,Chamber of commerce,,,,,\n")
    with acting_as("test"):
        first = run_import(StakeholderImportSpec(), directory)
    assert first.summary["inserted"] == 2
    assert first.summary["updated"] == 1
    assert [(r.line_number, r.reason.split(":")[0]) for r in first.rejects] == [
        (4, "The email 'not-an-email' is not valid"), (5, "station 'NOPE' does not exist")]
    mosque = db.session.scalar(select(Stakeholder).where(Stakeholder.name == "Al-Noor Mosque"))
    assert sorted(c.name for c in mosque.contacts) == ["Aisha Omar", "Imam Yusuf"]
    assert mosque.languages == ["ar", "so"]
    assert mosque.may_distrust_police
    with acting_as("test"):
        again = run_import(StakeholderImportSpec(), directory)
    assert (again.summary["inserted"], again.summary["updated"],
            again.summary["unchanged"]) == (0, 0, 3)


def coverage_page_queries(client, station) -> int:
    """The statements the coverage page runs (checking it lists the unreached group)."""
    with counting_queries() as statements:
        response = client.get(f"/outreach?station={station.id}&months=12")
    assert response.status_code == 200
    assert "Flagged group" in response.get_data(as_text=True)
    return len(statements)


def test_coverage_page_runs_a_fixed_number_of_queries(admin_client, station):
    mosque = make_stakeholder(station)
    make_stakeholder(station, "Flagged group", "advocacy_group", may_distrust_police=True)
    log(mosque, follow_up=date(2026, 11, 3))
    with acting_as("test"):
        meetings.save_meeting(meetings.MeetingDetails(
            station_id=station.id, held_on=date(2026, 11, 1), title="Forum", kind="other",
            languages=[meetings.LanguageNeed("ko", "requested_not_provided")]))
    small = coverage_page_queries(admin_client, station)
    for number in range(15):
        stakeholder = make_stakeholder(station, f"Org {number}", "non_profit",
                                       may_distrust_police=number % 2 == 0)
        for month in range(1, 11):
            log(stakeholder, date(2026, month, 3), follow_up=date(2026, month, 20))
    assert coverage_page_queries(admin_client, station) == small
