"""Language names and codes, from the CLDR data Babel ships."""

from __future__ import annotations

from functools import cache

from babel import Locale


@cache
def language_names() -> dict[str, str]:
    """Every known language code mapped to its English name."""
    return {code: name for code, name in Locale("en").languages.items() if "_" not in code}


@cache
def _codes_by_lowercase_name() -> dict[str, str]:
    lookup = {name.lower(): code for code, name in language_names().items()}
    lookup.update({code.lower(): code for code in language_names()})
    return lookup


def language_code_for(text: str) -> str | None:
    """The code for a language given by code ('ko') or English name ('Korean'), else None."""
    return _codes_by_lowercase_name().get(text.strip().lower())


def language_name(code: str) -> str:
    """The English name of a language code, or the code itself when unknown."""
    return language_names().get(code, code)


@cache
def sorted_language_names() -> list[str]:
    """Every language's English name once, in alphabetical order."""
    return sorted(set(language_names().values()), key=str.casefold)


COMMON_LANGUAGE_CODES = ["es", "zh", "vi", "ko", "tl", "ar", "ru", "ht", "fr", "pt", "hi", "so"]


def language_choices() -> list[tuple[str, str]]:
    """Choices for forms: common community languages first, then the rest by name."""
    names = language_names()
    common = [(code, names[code]) for code in COMMON_LANGUAGE_CODES if code in names]
    rest = sorted(
        ((code, name) for code, name in names.items() if code not in COMMON_LANGUAGE_CODES),
        key=lambda pair: pair[1],
    )
    return common + rest
