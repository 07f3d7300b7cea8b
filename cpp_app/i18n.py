"""The public pages' languages: which one a visitor sees, and the message catalogs.

The catalogs are compiled from the .po sources when they change.
"""

from __future__ import annotations

import logging
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Request

TRANSLATIONS = Path(__file__).resolve().parent / "translations"
logger = logging.getLogger(__name__)


def shipped_locales() -> list[str]:
    """English plus every language with a catalog."""
    return ["en", *sorted(path.name for path in TRANSLATIONS.iterdir()
                          if (path / "LC_MESSAGES" / "messages.po").exists())]


def asked_language(request: Request) -> str | None:
    """The shipped language a visitor asked for with ?lang=, or None."""
    asked = (request.args.get("lang") or "").strip()
    return asked if asked in shipped_locales() else None


def public_language(request: Request) -> str:
    """A public page's language: an explicit ?lang=, else the browser's preference, else English.

    The browser's preference is its Accept-Language header.
    """
    return (asked_language(request)
            or request.accept_languages.best_match(shipped_locales())
            or "en")


def compile_catalogs(directory: Path = TRANSLATIONS) -> None:
    """Write each catalog's .mo next to its .po when missing or older than the .po."""
    for source in directory.glob("*/LC_MESSAGES/messages.po"):
        target = source.with_suffix(".mo")
        if target.exists() and target.stat().st_mtime >= source.stat().st_mtime:
            continue
        try:
            with source.open("rb") as handle:
                catalog = read_po(handle)
            with target.open("wb") as handle:
                write_mo(handle, catalog)
        except OSError:
            logger.exception("could not compile %s", source)
