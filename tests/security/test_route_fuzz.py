"""Every route answers hostile input with a page or a 4xx, never a server error.

One populated department (the demo department, the security sample with an object of every
kind, and stored values that are hostile in themselves) is built once for the module; then,
as an anonymous visitor, an administrator and a station-bound commander, every rule of the
URL map is requested with hostile values for its converters, hostile query strings, and,
where it takes a POST, every field its forms declare (read from the pages that show those
forms) filled with hostile values. The inputs are a fixed list: the run is the same each time.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from flask import Flask, url_for
from flask.testing import FlaskClient
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import Rule

from cpp_app.api import services as api_services
from cpp_app.audit.anchors import anchor_file
from cpp_app.audit.services import acting_as
from cpp_app.demo.department import seed_demo
from cpp_app.engagement.models import EngagementRecord
from cpp_app.extensions import db
from cpp_app.surveys import services as survey_services
from cpp_app.surveys.models import SurveyStatus
from tests import factories
from tests.factories.department import SampleDepartment, sample_department
from tests.helpers import CSRF_INPUT, empty_all_tables

pytestmark = pytest.mark.no_app_context

SKIPPED_ENDPOINTS = {"static", "bootstrap.static"}
#: Requested after every other route, since they end the session or the account's access.
LAST_ENDPOINTS = {"auth.logout"}
IDENTITIES = ["anonymous", "commander", "admin"]

#: A language Babel has no locale data for (about half of the codes the forms offer).
LANGUAGE_WITHOUT_LOCALE_DATA = "ain"
#: A call type matplotlib would read as math text if it were parsed.
MATH_TEXT_CALL_TYPE = r"Patrol $\frac{1}{$ check"

HUGE_INTEGERS = ["2147483648", "9223372036854775808", "99999999999999999999"]
HOSTILE_PATH_INTEGERS = ["0", *HUGE_INTEGERS, "9" * 400]
HOSTILE_PATH_TEXT = ["a\x00b", "line\r\nbreak", "²", "A" * 3000, "..", "%", "$x$", "\u202e"]
#: What goes into every query name and every form field, one value per request (a line break
#: and math text share one: neither stops a request before the other is read).
HOSTILE_VALUES = [
    "2147483648", "99999999999999999999", "-1", "²", "a\x00b",
    "x\r\nSet-Cookie: cpp=1 $\\frac{1}{$", "A" * 5000, "9999-12-31",
]
#: Query names the views read, besides those of the filter forms on each page.
QUERY_NAMES = [
    "page", "per_page", "next", "station", "year", "from", "to", "date_from", "date_to",
    "language", "lang", "q", "status", "kind", "call_type", "inline", "months", "problem",
    "shield", "sort", "stakeholder", "with", "member", "course", "role", "active",
]
#: Keys url_for takes for itself: a pagination link built from request.args must not choke.
URL_FOR_KEYS = ["endpoint", "_method", "_external", "_anchor", "_scheme", "values"]
#: Raw query strings: bytes that are not UTF-8, a lone surrogate, repeated and bracketed keys,
#: a line break and another site in `next`, numbers written oddly.
RAW_QUERIES = [
    "page=%ff%fe&station=%c0%af&q=%e2%82&lang=%ed%a0%80&page=2&station=2&q[]=1&q[x]=2",
    "next=%0d%0aLocation:%20https://evil.example/&page=1e9&year=+1&station=0x10",
]
#: Pages that render a PDF: only the raw query strings (each request is a render).
PDF_ENDPOINTS = {"reports.plan_pdf", "reports.update_pdf", "reports.job_pdf"}
HOSTILE_UPLOAD = b"Shield\x00,Name\r\n\xff\xfe\x001,\x81\x40\r\n" + b"A" * 2000


@dataclass
class FuzzDepartment:
    """The populated department, and what the pages' forms declare."""

    sample: SampleDepartment
    api_secret: str
    #: endpoint -> the fields (name -> kind and default) of the forms that post to it.
    form_fields: dict[str, dict[str, dict]] = field(default_factory=dict)
    #: endpoint -> the names of the query-string filter forms on its page.
    query_fields: dict[str, set[str]] = field(default_factory=dict)


class FormReader(HTMLParser):
    """The forms of a page: action, method, and each named field with its kind and default.

    A field's kind is `number`, `date`, `text` (text inputs and text areas), `file`, or
    `choice` (selects, radios, checkboxes and hidden inputs, which keep their first value).
    """

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self.select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Start a form, or add a named field (or a select's option) to the open one."""
        attributes = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attributes.get("action") or "",
                               "method": (attributes.get("method") or "get").lower(),
                               "fields": {}})
            return
        if not self.forms:
            return
        if tag == "option" and self.select:
            fields = self.forms[-1]["fields"]
            if not fields[self.select]["value"] or "selected" in attributes:
                fields[self.select]["value"] = attributes.get("value") or ""
            return
        name = attributes.get("name")
        if tag not in {"input", "select", "textarea"} or not name or name == "csrf_token":
            return
        self.select = name if tag == "select" else None
        kind = field_kind(tag, attributes.get("type") or "text")
        known = self.forms[-1]["fields"].setdefault(name, {"kind": kind, "value": ""})
        if not known["value"] or "checked" in attributes:
            known["value"] = attributes.get("value") or ""

    def handle_endtag(self, tag: str) -> None:
        """Close a select."""
        if tag == "select":
            self.select = None


def field_kind(tag: str, input_type: str) -> str:
    """What kind of value a form field takes."""
    if tag == "textarea":
        return "text"
    if tag == "select" or input_type in {"radio", "checkbox", "hidden", "submit"}:
        return "choice"
    if input_type in {"number", "date", "file"}:
        return input_type
    return "text"


def checked_rules(app: Flask) -> list[Rule]:
    """Every rule but the static files, in a stable order, the session-ending ones last."""
    rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint not in SKIPPED_ENDPOINTS]
    return sorted(rules, key=lambda rule: (rule.endpoint in LAST_ENDPOINTS, rule.endpoint,
                                           rule.rule))


def method_of(rule: Rule) -> str:
    """GET when the rule allows it, else POST."""
    return "GET" if "GET" in rule.methods else "POST"


def url_of(app: Flask, rule: Rule, values: dict[str, object]) -> str:
    """The URL of the rule with the sample's ids."""
    with app.test_request_context():
        return url_for(rule.endpoint, **{name: values[name] for name in rule.arguments})


def hostile_url(rule: Rule, values: dict[str, object], argument: str, hostile: str) -> str:
    """The rule's URL with one argument replaced by a raw, percent-encoded hostile value."""
    built = []
    for is_dynamic, part in rule._trace:  # noqa: SLF001 - the only public form is url_for
        if not is_dynamic:
            built.append(part)
            continue
        raw = hostile if part == argument else str(values[part])
        built.append(urlencode({"": raw})[1:])
    return "".join(built).split("|", 1)[-1]


def endpoint_at(app: Flask, action: str, method: str) -> str | None:
    """The endpoint a form's action (a path) routes to with this method."""
    adapter = app.url_map.bind("localhost")
    try:
        endpoint, _ = adapter.match(urlsplit(action).path, method.upper())
    except (NotFound, MethodNotAllowed):
        return None
    return endpoint


def problem_with(client: FlaskClient, description: str, url: str, **request) -> str | None:
    """Make the request; a line naming it when it ends in a server error, else None.

    The testing app lets exceptions through rather than answering 500, so both count.
    """
    try:
        response = client.open(url, **request)
    except Exception as error:  # noqa: BLE001 - any exception is the finding
        return f"{description}: {type(error).__name__}: {str(error)[:300]}"
    if response.status_code >= 500:
        return f"{description}: {response.status_code}"
    return None


def _store_hostile_values(sample: SampleDepartment) -> str:
    """Values that are hostile once stored: a survey language without locale data, math text.

    Returns the secret of an API token that may read and write.
    """
    with acting_as("test:fuzz"):
        survey = survey_services.create_survey(survey_services.SurveySettings(
            station_id=sample.station_a.id, languages=["en"], opens_on=None, closes_on=None,
            title={}, introduction={}, thank_you={}), sample.users["commander"].id, True)
        survey.languages = [LANGUAGE_WITHOUT_LOCALE_DATA, "en"]
        survey.status = SurveyStatus.OPEN
        sample.url_values["slug"] = survey.slug
        db.session.add(EngagementRecord(
            occurred_on=date(2026, 3, 1), call_type=MATH_TEXT_CALL_TYPE,
            station_id=sample.station_a.id, identity="fuzz-math-text"))
        _token, secret = api_services.create_token(
            sample.users["admin"], "Fuzz RMS", ["engagement:read", "engagement:write"])
    db.session.commit()
    return secret


@pytest.fixture(scope="module")
def department(app: Flask, tmp_path_factory) -> Iterator[FuzzDepartment]:
    """The populated department for the whole module, emptied after it (uploads too)."""
    uploads = Path(app.instance_path) / "uploads"
    uploaded_before = set(uploads.rglob("*"))
    with app.app_context():
        sample = sample_department(tmp_path_factory.mktemp("fuzz"))
        with acting_as("test:fuzz-demo"):
            seed_demo()
        db.session.commit()
        fuzz = FuzzDepartment(sample=sample, api_secret=_store_hostile_values(sample))
        _read_forms(app, fuzz)
        try:
            yield fuzz
        finally:
            db.session.remove()
            empty_all_tables()
            anchor_file().unlink(missing_ok=True)
            for path in set(uploads.rglob("*")) - uploaded_before:
                if path.is_file():
                    path.unlink()


def _read_forms(app: Flask, fuzz: FuzzDepartment) -> None:
    """Read every page as the administrator and as a visitor, noting each form's fields."""
    for identity in ("admin", "anonymous"):
        client = client_for(app, fuzz, identity)
        for rule in checked_rules(app):
            if ("GET" not in rule.methods or rule.endpoint.startswith("api.")
                    or rule.endpoint in PDF_ENDPOINTS):
                continue
            url = url_of(app, rule, fuzz.sample.values_for(rule.endpoint))
            reader = FormReader()
            try:
                reader.feed(client.get(url).get_data(as_text=True))
            except Exception:  # noqa: BLE001, S112 - the tests below report what fails
                continue
            for form in reader.forms:
                _note_form(app, fuzz, url, rule.endpoint, form)


def _note_form(app: Flask, fuzz: FuzzDepartment, page_url: str, page_endpoint: str,
               form: dict) -> None:
    """Record a form's fields under the endpoint it submits to."""
    if form["method"] == "get":
        fuzz.query_fields.setdefault(page_endpoint, set()).update(form["fields"].keys())
        return
    endpoint = endpoint_at(app, form["action"] or page_url, "POST")
    if endpoint is not None:
        fuzz.form_fields.setdefault(endpoint, {}).update(form["fields"])


def client_for(app: Flask, fuzz: FuzzDepartment, identity: str) -> FlaskClient:
    """A client logged in as the sample's user for the identity (none for anonymous)."""
    client = app.test_client()
    user = fuzz.sample.users.get(identity)
    if user is not None:
        response = client.post("/login", data={"email": user.email,
                                               "password": factories.PASSWORD,
                                               "csrf_token": csrf_of(client)})
        assert response.status_code == 302, f"login as {identity} failed"
    return client


def csrf_of(client: FlaskClient) -> str:
    """A CSRF token for the client's session (every form of the session accepts it)."""
    for page in ("/login", "/notifications/preferences"):
        match = CSRF_INPUT.search(client.get(page).get_data(as_text=True))
        if match:
            return match.group(1)
    raise AssertionError("no CSRF token on the login or preferences page")


def request_headers(rule: Rule, fuzz: FuzzDepartment) -> dict[str, str]:
    """The API's token for API routes, so the hostile input reaches what reads it."""
    if rule.endpoint.startswith("api."):
        return {"Authorization": f"Bearer {fuzz.api_secret}"}
    return {}


@pytest.mark.parametrize("identity", IDENTITIES)
def test_hostile_values_in_urls(app: Flask, department: FuzzDepartment, identity: str):
    client = client_for(app, department, identity)
    problems = []
    for rule in checked_rules(app):
        values = department.sample.values_for(rule.endpoint)
        for argument, converter in rule._converters.items():  # noqa: SLF001
            numeric = type(converter).__name__ == "IntegerConverter"
            for hostile in HOSTILE_PATH_INTEGERS if numeric else HOSTILE_PATH_TEXT:
                url = hostile_url(rule, values, argument, hostile)
                problems.append(problem_with(client, f"{method_of(rule)} {url[:200]!r}", url,
                                             method=method_of(rule),
                                             headers=request_headers(rule, department)))
    problems = [problem for problem in problems if problem]
    assert not problems, "\n".join(problems)


def hostile_queries(endpoint: str, names: set[str]) -> Iterator[str | dict[str, str]]:
    """Query strings: every name with each hostile value, url_for's own keys, raw oddities."""
    yield from RAW_QUERIES
    if endpoint in PDF_ENDPOINTS:
        return
    for hostile in HOSTILE_VALUES:
        yield dict.fromkeys(sorted(names), hostile)
    yield {"page": "2", **dict.fromkeys(URL_FOR_KEYS, "x")}


@pytest.mark.parametrize("identity", IDENTITIES)
def test_hostile_query_strings(app: Flask, department: FuzzDepartment, identity: str):
    client = client_for(app, department, identity)
    problems = []
    for rule in checked_rules(app):
        if "GET" not in rule.methods:
            continue
        url = url_of(app, rule, department.sample.values_for(rule.endpoint))
        names = set(QUERY_NAMES) | department.query_fields.get(rule.endpoint, set())
        for query in hostile_queries(rule.endpoint, names):
            problems.append(problem_with(client, f"GET {url} ? {str(query)[:200]}", url,
                                         query_string=query,
                                         headers=request_headers(rule, department)))
    problems = [problem for problem in problems if problem]
    assert not problems, "\n".join(problems)


#: Values by kind of field for forms filled as the page offers them (choices kept), so that
#: they pass the choices and reach the services with numbers, dates and text out of range.
TYPED_HOSTILE_VALUES = [
    {"number": "2147483648", "date": "9999-12-31", "text": "A" * 5000},
    {"number": "99999999999999999999", "date": "0001-01-01", "text": "x\r\n$\\frac{1}{$"},
    {"number": "-1", "date": "9999-12-31", "text": "²"},
]


def hostile_upload(name: str = "hostile ² name.csv") -> tuple[io.BytesIO, str]:
    """A file with a NUL and bytes of no one encoding in it."""
    return io.BytesIO(HOSTILE_UPLOAD), name


def hostile_forms(fuzz: FuzzDepartment, endpoint: str, token: str) -> Iterator[dict]:
    """Forms with every declared field set to each hostile value, then filled by kind."""
    fields = fuzz.form_fields.get(endpoint, {})
    names = set(fields) | set(fuzz.sample.form_for(endpoint)) | {"next", "station", "kind"}
    for hostile in HOSTILE_VALUES:
        form: dict[str, object] = dict.fromkeys(sorted(names), hostile)
        form.update({name: hostile_upload("a\x00.csv") for name, declared in fields.items()
                     if declared["kind"] == "file"})
        yield {**form, "csrf_token": token}
    for by_kind in TYPED_HOSTILE_VALUES if fields else []:
        form = {**fuzz.sample.form_for(endpoint), "csrf_token": token}
        for name, declared in fields.items():
            kind = declared["kind"]
            form[name] = (hostile_upload() if kind == "file"
                          else by_kind.get(kind, declared["value"]))
        yield form


@pytest.mark.parametrize("identity", IDENTITIES)
def test_hostile_forms(app: Flask, department: FuzzDepartment, identity: str):
    client = client_for(app, department, identity)
    token = csrf_of(client)
    problems = []
    for rule in checked_rules(app):
        if "POST" not in rule.methods or rule.endpoint.startswith("api."):
            continue
        url = url_of(app, rule, department.sample.values_for(rule.endpoint))
        for form in hostile_forms(department, rule.endpoint, token):
            shown = {name: str(value)[:20] for name, value in form.items()
                     if name != "csrf_token"}
            problems.append(problem_with(client, f"POST {url} {shown}"[:400],
                                         url, method="POST", data=form))
    problems = [problem for problem in problems if problem]
    assert not problems, "\n".join(problems)


def nested_json(depth: int) -> str:
    """A JSON array nested `depth` deep."""
    return "[" * depth + "]" * depth


HOSTILE_JSON = [
    nested_json(100_000), '{"records": ' + nested_json(5000) + "}",
    '{"records": [{"a\\u0000": "\\u0000"}]}',
    '{"records": [{"Date": "9999-12-31", "CallType": "a\\u0000", '
    '"ShieldNumber": 99999999999999999999, "Time": "25:61"}]}',
    '{"records": [{"Date": "0000-00-00", "CallType": "$x$", "ShieldNumber": "²"}]}',
    "[1, 2", '"\\ud800"', "1e999999", '{"records": null}', '{"records": "x"}',
]


@pytest.mark.parametrize("body", HOSTILE_JSON)
def test_hostile_json_to_the_api(app: Flask, department: FuzzDepartment, body: str):
    problem = problem_with(app.test_client(), f"POST JSON {body[:80]!r}",
                           "/api/v1/engagement-records", method="POST", data=body,
                           content_type="application/json",
                           headers={"Authorization": f"Bearer {department.api_secret}"})
    assert problem is None, problem
