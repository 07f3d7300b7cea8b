"""Which passwords are accepted: long enough, and not common or guessable (zxcvbn)."""

from __future__ import annotations

from collections.abc import Iterable

from flask import current_app
from zxcvbn import zxcvbn

from cpp_app.errors import ServiceError

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 200
#: zxcvbn slows down sharply on long input; the first characters decide the score anyway.
SCORED_LENGTH = 72


class WeakPasswordError(ServiceError):
    """A password refused, with what to do about it (shown beside the password field)."""


def check_password_strength(password: str, user_inputs: Iterable[str] = ()) -> None:
    """Refuse a password too short, too long, common or easy to guess, saying why."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise WeakPasswordError(
            f"The password must be at least {MIN_PASSWORD_LENGTH} characters long.", "password")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise WeakPasswordError(
            f"The password must be at most {MAX_PASSWORD_LENGTH} characters long.", "password")
    words = [part for value in user_inputs for part in _personal_words(value)]
    result = zxcvbn(password, user_inputs=words, max_length=SCORED_LENGTH)
    if result["score"] < current_app.config["CPP_PASSWORD_MIN_SCORE"]:
        raise WeakPasswordError(_weakness_message(result["feedback"]), "password")


def _personal_words(value: str) -> list[str]:
    """An email or name, and its parts: a password made of them is easy to guess."""
    value = (value or "").lower()
    parts = value.replace("@", " ").replace(".", " ").replace("-", " ").split()
    return [value, *parts] if value else []


def _weakness_message(feedback: dict) -> str:
    advice = [feedback.get("warning") or "This password would be easy to guess.",
              *feedback.get("suggestions", [])]
    if not feedback.get("suggestions"):
        advice.append("Use a longer phrase of several unrelated words.")
    return " ".join(item.strip() for item in advice if item.strip())
