"""HTML to PDF with WeasyPrint, fetching nothing from files or the network.

WeasyPrint is imported when a PDF is made, not with the app: it takes about 0.4 s to load,
and most processes (web workers serving pages, the CLI) never render a PDF.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from flask import render_template

from cpp_app.extensions import db

if TYPE_CHECKING:
    from weasyprint.urls import URLFetcher


def safe_url_fetcher() -> URLFetcher:
    """A fetcher that loads only embedded data: URIs (our charts): no file://, no network."""
    from weasyprint.urls import URLFetcher  # noqa: PLC0415 - loaded for PDFs only (~0.4 s)

    return URLFetcher(allowed_protocols={"data"}, allow_redirects=False, timeout=5)


def render_pdf(template: str, **context: Any) -> bytes:
    """Render a report template (which extends reports/base.html) to PDF bytes."""
    return html_to_pdf(render_template(template, **context))


def render_page_then_release(template: str, **context: Any) -> str:
    """The report's HTML; then the read transaction ends, before the PDF is made from it.

    Making the PDF is the slow part (seconds to minutes): no transaction stays open over it.
    """
    page = render_template(template, **context)
    db.session.rollback()
    return page


def html_to_pdf(html: str) -> bytes:
    """A rendered report page as PDF bytes."""
    from weasyprint import HTML  # noqa: PLC0415 - loaded for PDFs only (~0.4 s)

    return HTML(string=html, url_fetcher=safe_url_fetcher(), base_url=None).write_pdf()
