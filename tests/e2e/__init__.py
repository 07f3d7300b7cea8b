"""Browser journeys through the running app, with Playwright and axe."""
