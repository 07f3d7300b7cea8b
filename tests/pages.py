"""Reading a rendered page in tests: its title, the error summary, what a field holds."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class ErrorSummary:
    """The error summary of a page: its heading's attributes and its links (href, text)."""

    heading: dict[str, str | None] = field(default_factory=dict)
    links: list[tuple[str, str]] = field(default_factory=list)


class PageReader(HTMLParser):
    """Collects the title, the error summary and the values of inputs and text areas by id."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.title, self.summary, self.values, self.ids = "", None, {}, []
        self._in_title = self._in_summary = self._in_link = False
        self._textarea, self._href = None, ""

    def handle_starttag(self, tag, attrs):  # noqa: C901 - one branch per element of interest
        """Note the elements the tests read."""
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids.append(attributes["id"])
        if tag == "title":
            self._in_title = True
        elif "data-error-summary" in attributes:
            self.summary, self._in_summary = ErrorSummary(), True
        elif self._in_summary and tag == "h2":
            self.summary.heading = attributes
        elif self._in_summary and tag == "a":
            self._in_link, self._href = True, attributes.get("href", "")
            self.summary.links.append((self._href, ""))
        elif tag == "input" and attributes.get("id"):
            self.values[attributes["id"]] = attributes.get("value") or ""
        elif tag == "textarea" and attributes.get("id"):
            self._textarea = attributes["id"]
            self.values[self._textarea] = ""

    def handle_endtag(self, tag):
        """Close what was open."""
        if tag == "title":
            self._in_title = False
        elif tag == "a" and self._in_link:
            self._in_link = False
        elif tag == "div" and self._in_summary:
            self._in_summary = False
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        """Keep the text of the title, the summary's links and the text areas."""
        if self._in_title:
            self.title += data
        if self._in_link:
            href, text = self.summary.links[-1]
            self.summary.links[-1] = (href, text + data)
        if self._textarea:
            first = not self.values[self._textarea]
            # A browser drops one newline straight after <textarea>, as the HTML rules say.
            self.values[self._textarea] += data.removeprefix("\r\n").removeprefix("\n") \
                if first else data


def read_page(html: str) -> PageReader:
    """The page, read."""
    reader = PageReader()
    reader.feed(html)
    return reader
