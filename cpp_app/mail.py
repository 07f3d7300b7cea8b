"""Queueing an email from any feature, through the outbox the application wires in.

The outbox (its table, retries and SMTP) belongs to `reminders`, which sits above the
foundation; the factory registers its queue here so that lower features such as `auth` can
send an email without importing it.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import Flask, current_app

OUTBOX_EXTENSION = "cpp_outbox"

#: Queue one email: recipient, subject, plain-text body, whether the body is secret (the
#: caller commits). A secret body is erased from the outbox once sent.
QueueEmail = Callable[[str, str, str, bool], None]


def register_outbox(app: Flask, queue: QueueEmail) -> None:
    """Tell the application which function queues an email."""
    app.extensions[OUTBOX_EXTENSION] = queue


def queue_email(recipient: str, subject: str, body: str, secret: bool = False) -> None:
    """Queue an email for the outbox to send (in the caller's transaction)."""
    current_app.extensions[OUTBOX_EXTENSION](recipient, subject, body, secret)
