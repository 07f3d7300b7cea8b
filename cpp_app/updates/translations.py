"""Human translations of what the public reads of a plan: summary, priorities, "you said, we did".

A commander or administrator enters them per shipped language; the public pages show the
original (English) wherever no translation has been entered.
"""

from __future__ import annotations

from dataclasses import dataclass

from cpp_app.audit import services as audit
from cpp_app.errors import ServiceError
from cpp_app.extensions import db
from cpp_app.i18n import shipped_locales
from cpp_app.models import ORIGINAL_LANGUAGE, TranslationsMixin
from cpp_app.plans.models import Plan
from cpp_app.stations.languages import language_name
from cpp_app.updates.models import PlanUpdate

FIELD_LABELS = {"summary": "Plan summary", "title": "Title", "description": "Description",
                "rationale": "You said (what residents told us)"}
CHANGE_LABELS = {"description": "We did (the change)"}


@dataclass
class TranslatableText:
    """One original text, the form field for its translation, and the translation so far."""

    key: str
    item: TranslationsMixin
    field: str
    heading: str
    label: str
    original: str
    current: str


def translation_languages() -> list[str]:
    """The shipped languages a text can be translated into (all but the original's)."""
    return [code for code in shipped_locales() if code != ORIGINAL_LANGUAGE]


def checked_language(code: str | None) -> str:
    """A language translations may be entered in; the first one when none is asked for."""
    languages = translation_languages()
    if not code:
        return languages[0]
    if code not in languages:
        raise ServiceError(f"Translations are kept for {', '.join(languages)} only.",
                           "language")
    return code


def plan_texts(plan: Plan, language: str) -> list[TranslatableText]:
    """The plan's summary and each priority's title and description, with their translations."""
    texts = _texts("plan", plan, "Plan", ("summary",), language)
    for number, priority in enumerate(plan.priorities, start=1):
        texts += _texts(f"priority-{priority.id}", priority,
                        f"Priority {number}: {priority.title}", ("title", "description"),
                        language)
    return texts


def update_texts(update: PlanUpdate, language: str) -> list[TranslatableText]:
    """The update's "you said, we did" entries (community-input-based changes) to translate."""
    texts = []
    entries = [change for change in update.changes if change.is_community_input_based]
    for number, change in enumerate(entries, start=1):
        texts += _texts(f"change-{change.id}", change, f"You said, we did {number}",
                        ("rationale", "description"), language, CHANGE_LABELS)
    return texts


def save_translations(texts: list[TranslatableText], language: str, values: dict[str, str],
                      station_id: int) -> int:
    """Store the translations typed for `texts` in `language`; return how many items changed.

    An empty box removes that translation (the original is shown again). Each changed item
    gets an audit event.
    """
    language = checked_language(language)
    by_item: dict[int, tuple[TranslationsMixin, dict[str, str]]] = {}
    for text in texts:
        entry = by_item.setdefault(id(text.item), (text.item, {}))
        entry[1][text.field] = (values.get(text.key) or "")[:5000]
    changed = 0
    for item, typed in by_item.values():
        before = {field: item.translation(field, language) for field in typed}
        item.set_translations(language, {**_other_fields(item, language, typed), **typed})
        after = {field: item.translation(field, language) for field in typed}
        if before != after:
            changed += 1
            audit.record("translation.save", item, before={language: before},
                         after={language: after}, station_id=station_id,
                         summary=f"{language_name(language)} translation")
    db.session.commit()
    return changed


def _other_fields(item: TranslationsMixin, language: str, typed: dict[str, str]
                  ) -> dict[str, str]:
    """Translations of the item's fields that this form does not show (kept as they are)."""
    return {field: item.translation(field, language) for field in item.__translated_fields__
            if field not in typed}


def _texts(prefix: str, item: TranslationsMixin, heading: str, fields: tuple[str, ...],
           language: str, labels: dict[str, str] | None = None) -> list[TranslatableText]:
    labels = {**FIELD_LABELS, **(labels or {})}
    return [TranslatableText(f"{prefix}-{field}", item, field, heading, labels[field],
                             getattr(item, field) or "", item.translation(field, language))
            for field in fields if getattr(item, field)]
