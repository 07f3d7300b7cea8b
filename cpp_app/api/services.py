"""API tokens (created, checked, expired, revoked) and the API's engagement record operations."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from cpp_app.api.models import DEFAULT_TOKEN_DAYS, MAX_TOKEN_DAYS, SCOPES, ApiToken
from cpp_app.audit import services as audit
from cpp_app.auth.models import User
from cpp_app.engagement.models import EngagementRecord
from cpp_app.engagement.services import EngagementFilter
from cpp_app.errors import ServiceError
from cpp_app.extensions import db
from cpp_app.importing.services import run_import_records
from cpp_app.models import utcnow
from cpp_app.permissions import Action, can

TOKEN_PREFIX = "cpp_"  # noqa: S105 - marks our tokens in logs and scanners, not a secret
SCOPE_ACTIONS = {"engagement:read": Action.VIEW_ENGAGEMENT,
                 "engagement:write": Action.IMPORT_ENGAGEMENT}
MAX_BATCH = 10_000
#: The file name an import batch of pushed records shows.
PUSH_SOURCE = "API push"


class ApiError(ServiceError):
    """An API request that cannot be served: an HTTP status and a message saying why."""

    def __init__(self, status: int, message: str, field: str | None = None) -> None:
        super().__init__(message, field)
        self.status = status
        self.message = message


def hash_token(token: str) -> str:
    """The stored form of a token."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def allowed_scopes(user: User) -> list[str]:
    """The scopes this user's role may grant to a token."""
    return [scope for scope, action in SCOPE_ACTIONS.items() if can(user, action)]


def create_token(user: User, name: str, scopes: list[str],
                 days: int = DEFAULT_TOKEN_DAYS) -> tuple[ApiToken, str]:
    """A new token for the user, lasting `days`; the secret is returned once, only its hash kept."""
    if not name.strip():
        raise ApiError(400, "Name the token after the system that will use it.")
    if not 1 <= days <= MAX_TOKEN_DAYS:
        raise ApiError(400, f"A token lasts between 1 and {MAX_TOKEN_DAYS} days.", "days")
    unknown = [scope for scope in scopes if scope not in SCOPES]
    if unknown or not scopes:
        raise ApiError(400, "Choose at least one known scope.")
    refused = [scope for scope in scopes if scope not in allowed_scopes(user)]
    if refused:
        raise ApiError(403, f"Your role cannot grant: {', '.join(refused)}.")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    created_at = utcnow()
    token = ApiToken(user_id=user.id, name=name.strip()[:80], prefix=secret[:12],
                     token_hash=hash_token(secret), scopes=sorted(set(scopes)),
                     created_at=created_at, expires_at=created_at + timedelta(days=days))
    db.session.add(token)
    db.session.flush()
    audit.record("api_token.create", token, summary=token.name)
    db.session.commit()
    return token, secret


def revoke_token(token: ApiToken, acting_user: User | None = None) -> None:
    """Stop a token from working; an administrator may revoke anyone's (`acting_user`)."""
    if acting_user is not None and acting_user.id != token.user_id \
            and not can(acting_user, Action.MANAGE_USERS):
        raise ApiError(403, "Only an administrator may revoke another user's token.")
    if not token.active:
        raise ApiError(400, f"The token “{token.name}” is already revoked.")
    before = token.audit_snapshot()
    token.revoked_at = utcnow()
    owner = "" if acting_user is None or acting_user.id == token.user_id \
        else f" (of {token.user.email})"
    audit.record("api_token.revoke", token, before=before, summary=token.name + owner)
    db.session.commit()


def user_tokens(user_id: int) -> list[ApiToken]:
    """A user's tokens, newest first."""
    return list(db.session.scalars(select(ApiToken).where(ApiToken.user_id == user_id)
                                   .order_by(ApiToken.id.desc())))


def all_tokens_query(active_only: bool = False) -> Select:
    """Every user's tokens, newest first, with their users (the administrators' list)."""
    query = (select(ApiToken).options(selectinload(ApiToken.user))
             .order_by(ApiToken.id.desc()))
    if active_only:
        query = query.where(ApiToken.revoked_at.is_(None), ApiToken.expires_at > utcnow())
    return query


def authenticate(header: str | None, scope: str) -> ApiToken:
    """The token named by an `Authorization: Bearer …` header, if it may use `scope`."""
    if not header or not header.startswith("Bearer "):
        raise ApiError(401, "Send an API token as 'Authorization: Bearer <token>'.")
    secret = header.removeprefix("Bearer ").strip()
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(secret)))
    if token is None or not hmac.compare_digest(token.token_hash, hash_token(secret)):
        raise ApiError(401, "The API token is not valid.")
    _refuse_ended(token)
    if not token.user.active:
        raise ApiError(401, "The token's user account is deactivated.")
    if scope not in token.scopes:
        raise ApiError(403, f"The token lacks the '{scope}' scope.")
    if not can(token.user, SCOPE_ACTIONS[scope]):
        raise ApiError(403, "The token's user may no longer do this.")
    token.last_used_at = utcnow()
    db.session.commit()
    return token


def _refuse_ended(token: ApiToken) -> None:
    """ApiError 401 when the token was revoked, has expired, or predates a password change."""
    if not token.active:
        raise ApiError(401, "The API token has been revoked.")
    if token.is_expired():
        raise ApiError(401, f"The API token expired on {token.expires_at:%Y-%m-%d}; "
                            "create a new one under API tokens.")
    changed_at = getattr(token.user, "password_changed_at", None)
    if changed_at is not None and token.created_at < changed_at:
        raise ApiError(401, "The API token was created before its user's password was last "
                            "changed; create a new one under API tokens.")


def record_json(record: EngagementRecord) -> dict:
    """A record as the API shows it."""
    return {
        "id": record.id,
        "date": record.occurred_on.isoformat(),
        "time": record.occurred_time.strftime("%H:%M:%S") if record.occurred_time else None,
        "call_type": record.call_type,
        "shield_number": record.shield_number or None,
        "location": record.location,
        "station_code": record.station.code if record.station else None,
        "member_linked": record.member_id is not None,
        "problem_id": record.problem_id,
    }


def list_records(filters: EngagementFilter, page: int, per_page: int) -> dict:
    """One page of records with the total, newest first."""
    query = filters.apply(select(EngagementRecord))
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    items = db.session.scalars(
        query.options(selectinload(EngagementRecord.station))
        .order_by(EngagementRecord.occurred_on.desc(), EngagementRecord.id.desc())
        .limit(per_page).offset((page - 1) * per_page))
    return {"items": [record_json(r) for r in items], "page": page, "per_page": per_page,
            "total": total}


@dataclass
class PushResult:
    """What a batch push did, and the import batch that records it."""

    received: int
    inserted: int
    already_present: int
    rejected: list[dict]
    unknown_call_types: dict[str, int]
    batch_id: int


def push_records(payload: object, user: User) -> PushResult:
    """Store a batch of records pushed as JSON by `user`, through the one import entry.

    The push is recorded as an import batch like a file; each rejected record is reported by
    its index in the request, with the reason.
    """
    records = _pushed_records(payload)
    with audit.acting_as(f"api:{user.email}"):
        result = run_import_records("engagements", records, source=PUSH_SOURCE, actor=user)
    summary = result.summary
    return PushResult(
        received=len(records), inserted=summary["inserted"],
        already_present=summary["unchanged"],
        rejected=[{"index": r.line_number, "reason": r.reason} for r in result.rejects],
        unknown_call_types=result.note("unknown_call_types", {}), batch_id=result.batch.id)


def refuse_oversized_batch(payload: object) -> None:
    """ApiError 413 when the request holds more records than one push may."""
    if isinstance(payload, dict) and isinstance(payload.get("records"), list) \
            and len(payload["records"]) > MAX_BATCH:
        raise ApiError(413, f"Send at most {MAX_BATCH} records per request.")


def _pushed_records(payload: object) -> list:
    """The request's records; ApiError unless a JSON object with a non-empty 'records' array."""
    if not isinstance(payload, dict) or not isinstance(payload.get("records"), list):
        raise ApiError(422, "Send a JSON object with a 'records' array.", "records")
    records = payload["records"]
    if not records:
        raise ApiError(422, "The 'records' array is empty.", "records")
    refuse_oversized_batch(payload)
    return records
