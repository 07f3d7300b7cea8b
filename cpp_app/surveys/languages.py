"""Which language a respondent sees: ?lang=, then the browser's preference, then the default."""

from __future__ import annotations

from babel import localedata
from flask import Request, g, has_request_context

from cpp_app.stations.languages import language_name
from cpp_app.surveys.models import Survey

#: Names of the shipped languages in the language itself, for the language switcher.
NATIVE_NAMES = {
    "en": "English", "es": "Español", "zh": "中文", "vi": "Tiếng Việt", "ko": "한국어",
    "tl": "Tagalog", "ar": "العربية", "ru": "Русский", "fr": "Français", "ht": "Kreyòl ayisyen",
}
RIGHT_TO_LEFT = frozenset({"ar", "he", "fa", "ur"})


def choose_language(survey: Survey, request: Request) -> str:
    """The survey language to show: an explicit ?lang=, else Accept-Language, else the first."""
    asked = (request.values.get("lang") or "").strip()
    if asked in survey.languages:
        return asked
    best = request.accept_languages.best_match(survey.languages)
    if best:
        return best
    for offered, _quality in request.accept_languages:
        base = offered.split("-")[0].lower()
        if base in survey.languages:
            return base
    return survey.default_language


def native_name(code: str) -> str:
    """A language's name in that language when known, else its English name."""
    return NATIVE_NAMES.get(code, language_name(code))


def text_direction(code: str) -> str:
    """'rtl' for right-to-left scripts, else 'ltr'."""
    return "rtl" if code in RIGHT_TO_LEFT else "ltr"


def select_locale() -> str:
    """Flask-Babel's locale: the survey respondent's language on public pages, else English.

    About half the languages a survey may be in have no locale data in Babel: their dates and
    numbers are formatted in the base language (`pt` for `pt_BR`) or, failing that, English.
    The page keeps the survey's own language for its `lang` attributes.
    """
    if has_request_context():
        return formatting_locale(g.get("survey_language") or "en")
    return "en"


def formatting_locale(code: str) -> str:
    """The locale Babel can format for: the code itself, its base language, or English."""
    for candidate in (code, code.replace("-", "_").split("_")[0]):
        if candidate and localedata.exists(candidate):
            return candidate
    return "en"
