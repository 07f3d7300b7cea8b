"""The demo plan reads in Spanish and Chinese on the public station page."""

from __future__ import annotations

from cpp_app.demo.department import seed_demo


def test_the_demo_station_page_shows_the_plan_in_the_visitors_language(client):
    seed_demo()
    spanish = client.get("/stations/CEN?lang=es").get_data(as_text=True)
    assert "Calles más seguras y lazos más fuertes" in spanish
    assert "Exceso de velocidad en calles residenciales" in spanish
    chinese = client.get("/stations/CEN?lang=zh").get_data(as_text=True)
    assert "住宅街道超速行驶" in chinese
    english = client.get("/stations/CEN?lang=en").get_data(as_text=True)
    assert "Safer streets and stronger ties" in english
    assert "Calles más seguras" not in english
