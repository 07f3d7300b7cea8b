"""Whether the name a file gives for a shield number is the name of the member who holds it.

Exports write names their own way: 'DE MATO, DAVID', 'Sween, Norman J.', 'José Núñez'. Names
are compared without case, accents or punctuation: the family names must be the same (spaces
and hyphens aside), and the member's first given name must be one of the file's, its initial,
or a shortening of it ('Ann' and 'Annie'); middle names and initials are not compared.
"""

from __future__ import annotations

import re
import unicodedata

from cpp_app.importing.values import split_full_name, tidy_name

_NOT_LETTERS = re.compile(r"[^\w]+")


def name_tokens(text: str) -> list[str]:
    """The words of a name, without case, accents or punctuation."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(char for char in decomposed if not unicodedata.combining(char))
    return [token for token in _NOT_LETTERS.split(plain.casefold().replace("_", " ")) if token]


def given_names(first: str, last: str, full: str) -> tuple[str, str] | None:
    """(first, last) as a file gives them: both name columns, else the full name; None if none."""
    if first.strip() and last.strip():
        return first, last
    if full.strip():
        return split_full_name(full)
    return None


def same_person(member_first: str, member_last: str, first: str, last: str) -> bool:
    """Whether a file's first and last names are the member's, as a person would judge it."""
    member_family, member_given = name_tokens(member_last), name_tokens(member_first)
    family, given = name_tokens(last), name_tokens(first)
    words = given + family
    same_family = ("".join(member_family) == "".join(family)
                   or (bool(member_family) and set(member_family) <= set(words)))
    if not same_family:
        return False
    if not member_given:
        return True
    others = [word for word in words if word not in member_family] or given
    return any(_same_given_name(member_given[0], word) for word in others)


def _same_given_name(ours: str, theirs: str) -> bool:
    """Equal, or one begins the other (an initial, or a short form such as 'Ann' of 'Annie')."""
    return ours.startswith(theirs) or theirs.startswith(ours)


def shown_name(first: str, last: str) -> str:
    """A name as messages show it: 'First Last', capitals as in a name, single spaces."""
    return " ".join(f"{tidy_name(first)} {tidy_name(last)}".split())
