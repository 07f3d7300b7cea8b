"""The languages picker: common languages ticked, any other typed with suggestions, no script.

It replaces a Ctrl-click list of some 500 languages on the member form, and is the same on
the volunteer and stakeholder forms.
"""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from cpp_app.extensions import db
from cpp_app.stations.languages import COMMON_LANGUAGE_CODES, language_names
from cpp_app.stations.models import Member
from tests import factories
from tests.helpers import post_form
from tests.stations.test_member_pages import member_form

PICKER_PAGES = ["/members/new", "/language-access/volunteers/new", "/stakeholders/new"]


def picker(page: str) -> str:
    """The languages fieldset of a form page."""
    match = re.search(r'<fieldset class="mb-3 language-picker">.*?</fieldset>', page, re.DOTALL)
    assert match, "the page has no languages picker"
    return match.group(0)


@pytest.mark.usefixtures("station")
@pytest.mark.parametrize("url", PICKER_PAGES)
def test_the_form_offers_checkboxes_and_a_suggesting_text_box_not_a_long_list(admin_client,
                                                                              url):
    page = admin_client.get(url).get_data(as_text=True)
    assert "<select multiple" not in page
    assert "Ctrl" not in page
    fieldset = picker(page)
    assert re.search(r"<legend[^>]*>Languages (spoken|served)", fieldset)
    for code in COMMON_LANGUAGE_CODES:
        assert re.search(rf'<input class="form-check-input" type="checkbox" name="languages" '
                         rf'value="{code}" id="languages-{code}">\s*'
                         rf'<label class="form-check-label" for="languages-{code}">', fieldset)
    assert '<label class="form-label" for="languages">Other languages</label>' in fieldset
    assert re.search(r'<input[^>]*id="languages"[^>]*list="languages-names"', fieldset) or \
        re.search(r'<input[^>]*list="languages-names"[^>]*id="languages"', fieldset)
    suggestions = re.findall(r'<option value="([^"]+)">',
                             fieldset.split('<datalist id="languages-names">', 1)[1])
    assert len(suggestions) >= 400
    assert {"Amharic", "Spanish", "Tigrinya"} <= set(suggestions)
    assert len(language_names()) >= len(suggestions)


def test_ticked_and_typed_languages_are_saved(admin_client, station):
    response = post_form(admin_client, "/members/new", member_form(
        station, languages=["es", "Amharic, ti"]))
    assert response.status_code == 302
    member = db_member("01234")
    assert member.language_codes == ["am", "es", "ti"]


def test_an_unknown_language_is_named_beside_the_field_and_the_rest_is_kept(admin_client,
                                                                            station):
    response = post_form(admin_client, "/members/new", member_form(
        station, languages=["ko", "Amharic, Zorblaxian; Quenya"]))
    assert response.status_code == 200
    fieldset = picker(response.get_data(as_text=True))
    assert "“Zorblaxian”, “Quenya” are not language names or codes." in fieldset
    assert 'value="ko" id="languages-ko" checked' in fieldset
    assert 'value="am" id="languages-am" checked' in fieldset
    assert re.search(r'<input[^>]*aria-invalid="true"[^>]*value="Zorblaxian, Quenya"', fieldset)
    assert db_member("01234") is None
    response = post_form(admin_client, "/members/new", member_form(
        station, languages=["ko", "Zorblaxian"]))
    assert "“Zorblaxian” is not a language name or code." in response.get_data(as_text=True)


def test_the_edit_form_ticks_the_members_languages_and_unticking_removes_one(admin_client,
                                                                             station):
    member = factories.make_member(station, shield="0777", languages=["am", "es"])
    fieldset = picker(admin_client.get(f"/members/{member.id}/edit").get_data(as_text=True))
    assert 'value="am" id="languages-am" checked' in fieldset
    assert 'value="es" id="languages-es" checked' in fieldset
    assert fieldset.index("languages-am") < fieldset.index("languages-es")
    response = post_form(admin_client, f"/members/{member.id}/edit", member_form(
        station, shield_number="0777", languages=["es"]))
    assert response.status_code == 302
    assert db_member("0777").language_codes == ["es"]


def db_member(shield: str) -> Member | None:
    """The member with the shield number, read afresh."""
    factories.fresh_transaction()
    return db.session.scalar(select(Member).where(Member.shield_number == shield))
