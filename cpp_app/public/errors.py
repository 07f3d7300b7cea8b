"""Error pages in the visitor's language wherever the public is: portal, station pages, surveys.

A request is public when its address is one of the public pages' (even one that does not
exist, such as a mistyped station link) or when it names a shipped language with ?lang=.
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import g, render_template, request
from flask_babel import refresh

from cpp_app.i18n import asked_language, public_language, shipped_locales
from cpp_app.public.localized import month_year, public_label

PUBLIC_PREFIXES = ("/portal", "/stations/", "/open-data", "/s/")


def is_public_request() -> bool:
    """Whether the current request is for a public page, or carries a portal language."""
    path = request.path
    return (path.startswith(PUBLIC_PREFIXES) or path == "/stations"
            or asked_language(request) is not None)


def public_error_page(code: int) -> str | None:
    """The error page in the visitor's language for a public request, else None."""
    if not is_public_request():
        return None
    g.survey_language = public_language(request)
    refresh()
    return render_template("public/error.html", code=code, page_language=g.survey_language,
                           language_links=_this_address_in_each_language(),
                           public_label=public_label, month_year=month_year)


def _this_address_in_each_language() -> list[tuple[str, str]]:
    """(language, this address with ?lang= set to it) for the language switcher."""
    arguments = request.args.to_dict()
    return [(code, f"{request.path}?{urlencode({**arguments, 'lang': code})}")
            for code in shipped_locales()]
