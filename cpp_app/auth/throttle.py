"""Growing delays after failed logins, per account and per client address, kept in the database.

After `CPP_LOGIN_FREE_FAILURES` free failures, each further failure makes its key wait twice as
long before the next attempt is even checked: 1 s, 2 s, 4 s ... An account's wait is capped
short (`CPP_LOGIN_ACCOUNT_MAX_DELAY_SECONDS`), so an attacker guessing from elsewhere can delay
its owner by seconds but never keep them out, while a client's wait grows up to
`CPP_LOGIN_CLIENT_MAX_DELAY_SECONDS`. Attempts refused because of a wait are not counted, and the
counters live in a table, so every worker and host sees the same ones.

A browser that has logged in to an account before carries a signed "known device" cookie for
it; its attempts on that account are charged to the device instead of the account, so even a
guessing attack from many addresses, which keeps the account waiting, does not delay them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from cpp_app.auth.models import LoginThrottle
from cpp_app.extensions import db
from cpp_app.models import utcnow


@dataclass(frozen=True)
class ThrottleKeys:
    """The two counters one login attempt is charged to."""

    account: str
    client: str

    @classmethod
    def of(cls, email: str, client_address: str | None,
           known_device: str | None = None) -> ThrottleKeys:
        """The keys of an attempt on `email` (already normalised) from `client_address`.

        From a device known to have logged in to this account, the device stands in for it.
        """
        account = f"device:{known_device}" if known_device else f"account:{email[:280]}"
        return cls(account=account, client=f"client:{client_address or '-'}")


def delay_after(failures: int, cap_seconds: int) -> int:
    """Seconds to wait after `failures` failures in a row: 0 while free, then 1, 2, 4 ... cap."""
    extra = failures - current_app.config["CPP_LOGIN_FREE_FAILURES"]
    if extra <= 0:
        return 0
    return min(2 ** min(extra - 1, 30), cap_seconds)


def wait_seconds(keys: ThrottleKeys, now: datetime | None = None) -> int:
    """How many whole seconds this attempt must wait before it is checked (0: go ahead)."""
    now = now or utcnow()
    rows = db.session.scalars(select(LoginThrottle).where(
        LoginThrottle.key.in_([keys.account, keys.client]),
        LoginThrottle.blocked_until > now))
    waits = [(row.blocked_until - now).total_seconds() for row in rows]
    return math.ceil(max(waits)) if waits else 0


def record_failure(keys: ThrottleKeys) -> int:
    """Count a failed attempt against both keys; the seconds the next attempt must now wait."""
    config = current_app.config
    now = utcnow()
    _forget_stale(now)
    account = _charge(keys.account, now, config["CPP_LOGIN_ACCOUNT_MAX_DELAY_SECONDS"])
    client = _charge(keys.client, now, config["CPP_LOGIN_CLIENT_MAX_DELAY_SECONDS"])
    return max(account, client)


def forget_account(email: str, keys: ThrottleKeys | None = None) -> None:
    """Reset an account's failures (and a device's, given its keys) after success."""
    forgotten = {ThrottleKeys.of(email, None).account}
    if keys is not None:
        forgotten.add(keys.account)
    db.session.execute(delete(LoginThrottle).where(LoginThrottle.key.in_(forgotten)))


def failures_of(key: str) -> int:
    """The failures counted against a key (0 when none)."""
    return db.session.scalar(select(LoginThrottle.failures).where(LoginThrottle.key == key)) or 0


def describe_wait(seconds: int) -> str:
    """'Try again in 32 seconds.' (or in minutes, for long waits)."""
    if seconds >= 120:
        minutes = math.ceil(seconds / 60)
        return f"Try again in {minutes} minutes."
    return f"Try again in {seconds} second{'' if seconds == 1 else 's'}."


def _charge(key: str, now: datetime, cap_seconds: int) -> int:
    row = _locked_row(key)
    if row is None:
        row = LoginThrottle(key=key, failures=0, last_failure_at=now)
        try:
            with db.session.begin_nested():
                db.session.add(row)
        except IntegrityError:  # another worker created it meanwhile
            row = _locked_row(key)
    row.failures += 1
    row.last_failure_at = now
    delay = delay_after(row.failures, cap_seconds)
    row.blocked_until = now + timedelta(seconds=delay) if delay else None
    return delay


def _locked_row(key: str) -> LoginThrottle | None:
    return db.session.scalar(
        select(LoginThrottle).where(LoginThrottle.key == key).with_for_update())


def _forget_stale(now: datetime) -> None:
    """Counters quiet for longer than CPP_LOGIN_FORGET_HOURS start again from nothing."""
    cutoff = now - timedelta(hours=current_app.config["CPP_LOGIN_FORGET_HOURS"])
    db.session.execute(delete(LoginThrottle).where(LoginThrottle.last_failure_at < cutoff))
