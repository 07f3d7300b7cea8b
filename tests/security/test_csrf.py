"""A POST without a valid CSRF token is refused with 400 and changes nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from cpp_app.extensions import db
from cpp_app.stations.models import Station
from tests import factories
from tests.helpers import csrf_token, log_in, post_form

STATION_FORM = {"code": "NEW1", "name": "New Station", "area_served": "North side"}


def station_count() -> int:
    """Stations in the database."""
    return db.session.scalar(select(func.count()).select_from(Station))


def test_login_without_csrf_token_is_refused_and_does_not_log_in(client, admin_user):
    response = client.post("/login", data={"email": admin_user.email,
                                           "password": factories.PASSWORD})
    assert response.status_code == 400
    assert client.get("/home").status_code == 302
    db.session.refresh(admin_user)
    assert admin_user.last_login_at is None


def test_login_with_csrf_token_logs_in(client, admin_user):
    assert log_in(client, admin_user.email).status_code == 302
    assert client.get("/home").status_code == 200


def test_logged_in_form_without_csrf_token_creates_nothing(admin_client):
    response = admin_client.post("/manage/stations/new", data=STATION_FORM)
    assert response.status_code == 400
    assert station_count() == 0


def test_logged_in_form_with_a_token_from_another_session_creates_nothing(app, admin_client):
    other_token = csrf_token(app.test_client(), "/login")
    response = admin_client.post("/manage/stations/new",
                                 data={"csrf_token": other_token, **STATION_FORM})
    assert response.status_code == 400
    assert station_count() == 0


def test_logged_in_form_with_csrf_token_creates_the_station(admin_client):
    response = post_form(admin_client, "/manage/stations/new", STATION_FORM)
    assert response.status_code == 302
    assert db.session.scalar(select(Station.name).where(Station.code == "NEW1")) == "New Station"
