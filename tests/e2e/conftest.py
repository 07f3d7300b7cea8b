"""Browser journeys: a live server over the test database, driven by Debian's chromium."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright
from werkzeug.serving import WSGIRequestHandler, make_server

E2E_DIR = Path(__file__).resolve().parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
TIMEOUT_MS = 10_000


def pytest_collection_modifyitems(items):
    """Every test in this folder is a browser journey."""
    for item in items:
        if item.path.is_relative_to(E2E_DIR):
            item.add_marker(pytest.mark.e2e)


class QuietRequestHandler(WSGIRequestHandler):
    """A request handler that does not print a line per request into the test output."""

    def log_request(self, *args, **kwargs) -> None:
        """Say nothing about successful requests (errors are still logged)."""


@pytest.fixture(scope="session")
def live_server(app) -> Iterator[str]:
    """The session app served on a free loopback port, in a background thread."""
    server = make_server("127.0.0.1", 0, app, threaded=True,
                         request_handler=QuietRequestHandler)
    thread = threading.Thread(target=server.serve_forever, name="e2e-live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless chromium from the system (never a downloaded browser)."""
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                              args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser: Browser) -> Iterator:
    """Open more pages, each in its own context (its own cookies): `new_page(viewport=...)`."""
    contexts = []

    def _new_page(**context_options) -> Page:
        context_options.setdefault("viewport", DESKTOP)
        context = browser.new_context(**context_options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield _new_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page) -> Page:
    """A fresh browser context (no cookies) and page for each test."""
    return new_page()


@pytest.fixture
def phone_page(new_page) -> Page:
    """A phone-sized page speaking Spanish."""
    return new_page(viewport=PHONE, locale="es-ES", is_mobile=True, has_touch=True)
