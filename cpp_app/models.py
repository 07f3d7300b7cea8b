"""The declarative base and the mixins tables share (ids, timestamps, translations)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from enum import Enum
from typing import Any

from sqlalchemy import JSON, DateTime, MetaData, TypeDecorator, func
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """The current instant as a timezone-aware UTC datetime."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """A timestamp stored as UTC and always read back timezone-aware (also on SQLite)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        """The instant as stored: UTC, and naive on SQLite, which keeps no zone."""
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; use an aware UTC datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, _dialect: Any) -> datetime | None:
        """The stored instant as an aware UTC datetime."""
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    """Declarative base with constraint names that migrations can rely on."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)

    #: Column names left out of audit snapshots (secrets, noisy bookkeeping).
    __audit_exclude__: frozenset[str] = frozenset({"created_at", "updated_at"})

    def audit_snapshot(self) -> dict[str, Any]:
        """The row's column values as JSON-ready data, for audit before/after records."""
        snapshot: dict[str, Any] = {}
        for column in self.__table__.columns:
            if column.key in self.__audit_exclude__:
                continue
            value = getattr(self, column.key)
            if hasattr(value, "isoformat"):
                value = value.isoformat()
            elif isinstance(value, Enum):
                value = value.value
            snapshot[column.key] = value
        return snapshot


class IdMixin:
    """An integer surrogate primary key."""

    id: Mapped[int] = mapped_column(primary_key=True)


class TimestampMixin:
    """Creation and last-change instants, in UTC."""

    created_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), default=utcnow, server_default=func.now(), nullable=False
    )
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), default=utcnow, onupdate=utcnow, server_default=func.now(), nullable=False
    )


#: The language the staff pages write public text in; translations are of this original.
ORIGINAL_LANGUAGE = "en"


@dataclass(frozen=True)
class LocalText:
    """A text to show and the language it is written in (for the lang attribute)."""

    text: str
    language: str

    def __str__(self) -> str:
        return self.text


class TranslationsMixin:
    """Human translations of some public text fields, by language then field.

    `__translated_fields__` names the fields; the originals are in ORIGINAL_LANGUAGE.
    """

    __translated_fields__: tuple[str, ...] = ()

    translations: Mapped[dict | None] = mapped_column(JSON, default=dict)

    def translated(self, field: str, language: str) -> LocalText:
        """The field in `language` when translated, else the original with its language."""
        text = ((self.translations or {}).get(language) or {}).get(field, "")
        if text and language != ORIGINAL_LANGUAGE:
            return LocalText(text, language)
        return LocalText(getattr(self, field) or "", ORIGINAL_LANGUAGE)

    def translation(self, field: str, language: str) -> str:
        """The translation entered for `field` in `language`, or an empty string."""
        return ((self.translations or {}).get(language) or {}).get(field, "")

    def set_translations(self, language: str, values: dict[str, str]) -> None:
        """Replace the translations in `language`; empty values remove a field's translation."""
        kept = {field: text.strip() for field, text in values.items()
                if field in self.__translated_fields__ and text and text.strip()}
        translations = dict(self.translations or {})
        if kept:
            translations[language] = kept
        else:
            translations.pop(language, None)
        self.translations = translations


def render_migration_item(type_: str, obj: Any, _autogen_context: Any) -> str | bool:
    """Write our column types into migrations as plain SQLAlchemy types (no app imports)."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False
