"""API tokens for tests, and the header that carries one."""

from __future__ import annotations

from cpp_app.api import services
from cpp_app.api.models import DEFAULT_TOKEN_DAYS, ApiToken
from cpp_app.audit.services import acting_as
from cpp_app.auth.models import User


def make_api_token(user: User, scopes: list[str], name: str = "RMS",
                   days: int = DEFAULT_TOKEN_DAYS) -> tuple[ApiToken, str]:
    """A new API token for the user with these scopes; returns (token, secret)."""
    with acting_as("test"):
        return services.create_token(user, name, scopes, days)


def bearer(secret: str) -> dict:
    """The Authorization header carrying a token's secret."""
    return {"Authorization": f"Bearer {secret}"}
