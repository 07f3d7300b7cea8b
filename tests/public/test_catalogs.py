"""Every message the public pages use is translated, in every shipped language's catalog."""

from __future__ import annotations

import re

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from cpp_app.i18n import TRANSLATIONS, shipped_locales
from cpp_app.plans import models as plans
from cpp_app.public.localized import PUBLIC_LABELS
from cpp_app.surveys.models import SURVEY_INDICES
from cpp_app.updates import models as update_models
from tests.helpers import PROJECT_ROOT

PLACEHOLDER = re.compile(r"%\((\w+)\)s")
TRANSLATED = [code for code in shipped_locales() if code != "en"]


def extracted_messages() -> set[str | tuple[str, ...]]:
    """The msgids babel.cfg finds: the public templates' and the Python code's."""
    with (PROJECT_ROOT / "babel.cfg").open() as mapping:
        method_map, options_map = parse_mapping_cfg(mapping)
    return {message for _file, _line, message, _comments, _context
            in extract_from_dir(str(PROJECT_ROOT), method_map, options_map)}


def catalog(code: str):
    """A shipped language's catalog, read from its .po source."""
    with (TRANSLATIONS / code / "LC_MESSAGES" / "messages.po").open("rb") as source:
        return read_po(source)


def placeholders(texts) -> set[str]:
    """The %(name)s placeholders of a message's forms."""
    return {name for text in texts for name in PLACEHOLDER.findall(text)}


def forms(message) -> tuple[str, ...]:
    """A message's singular and plural forms as a tuple."""
    return message if isinstance(message, tuple) else (message,)


def test_the_four_shipped_languages_are_there():
    assert TRANSLATED == ["es", "ko", "vi", "zh"]


def test_the_public_templates_are_in_the_extraction():
    messages = extracted_messages()
    for msgid in ("Department dashboard", "You said, we did", "Staff log in",
                  "Community engagement records", "Page not found", "Choose your language"):
        assert msgid in messages, msgid


@pytest.mark.parametrize("code", TRANSLATED)
def test_every_public_message_has_a_translation(code):
    translations = catalog(code)
    messages = extracted_messages()
    assert len(messages) > 100
    assert "Department dashboard" in messages
    missing, fuzzy, wrong_placeholders = [], [], []
    for msgid in messages:
        key = forms(msgid)[0]
        entry = translations.get(key)
        if entry is None or not all(forms(entry.string)):
            missing.append(msgid)
            continue
        if entry.fuzzy:
            fuzzy.append(msgid)
        if len(forms(entry.string)) != (translations.num_plurals if len(forms(msgid)) > 1
                                        else 1):
            missing.append(msgid)
        if placeholders(forms(entry.string)) != placeholders(forms(msgid)):
            wrong_placeholders.append(msgid)
    assert missing == []
    assert fuzzy == []
    assert wrong_placeholders == []


def test_public_labels_cover_every_code_the_plans_use():
    assert set(PUBLIC_LABELS["priority_kind"]) == set(plans.PriorityKind)
    assert set(PUBLIC_LABELS["priority_source"]) == set(plans.PrioritySource)
    assert set(PUBLIC_LABELS["sara_stage"]) == set(plans.SaraStage)
    assert set(PUBLIC_LABELS["response_kind"]) == set(plans.ResponseKind)
    assert set(PUBLIC_LABELS["response_status"]) == set(plans.ResponseStatus)
    assert set(PUBLIC_LABELS["sharing_channel"]) == set(update_models.SharingChannel)
    assert set(PUBLIC_LABELS["survey_index"]) == set(SURVEY_INDICES)
