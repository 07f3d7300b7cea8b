"""Gunicorn settings read from the project folder: refuse unsafe rate-limit counting at start."""

from __future__ import annotations

import os
import sys

from config import check_rate_limit_storage


def on_starting(server: object) -> None:
    """Stop before any worker starts when several would count rate limits apart."""
    try:
        warning = check_rate_limit_storage(
            server.cfg.workers, os.environ.get("RATELIMIT_STORAGE_URI", "memory://"),
            os.environ.get("CPP_ENV", "production"))
    except RuntimeError as error:
        sys.exit(f"CPP Manager refuses to start: {error}")
    if warning:
        server.log.warning(warning)
