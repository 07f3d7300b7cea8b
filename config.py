"""Configuration, read from the environment only (a `.env` file is loaded if present)."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

from dotenv import load_dotenv

load_dotenv()

PROJECT_ROOT = Path(__file__).resolve().parent
DEFAULT_INSTANCE_PATH = PROJECT_ROOT / "instance"
#: The shortest audit key production accepts (32 characters: 128 bits as hex).
MIN_AUDIT_KEY_LENGTH = 32


def _env_int(name: str, default: int) -> int:
    """Read an integer setting, failing loudly when it is not a number."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as error:
        raise RuntimeError(f"{name} must be a whole number, got {raw!r}") from error


def _env_bool(name: str, default: bool) -> bool:
    """Read a yes/no setting (1/0, true/false, yes/no, on/off)."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def _default_database_url(instance_path: Path) -> str:
    return f"sqlite:///{instance_path / 'cpp.sqlite3'}"


def _storage_options(uri: str) -> dict[str, float]:
    """Short timeouts for a Redis rate-limit store, so one that is away cannot stall requests."""
    if uri.startswith(("redis://", "rediss://", "redis+")):
        return {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
    return {}


def normalise_database_url(url: str) -> str:
    """Point plain postgres URLs at the psycopg 3 driver SQLAlchemy should use."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


class BaseConfig:
    """Settings shared by every environment."""

    ENV_NAME = "base"
    INSTANCE_PATH = Path(os.environ.get("CPP_INSTANCE_PATH", DEFAULT_INSTANCE_PATH))
    SECRET_KEY = os.environ.get("SECRET_KEY")
    # The audit chain's HMAC key: kept out of the database, so whoever can write to the
    # database still cannot forge events. The anchor file records the chain at each verify.
    CPP_AUDIT_KEY = os.environ.get("CPP_AUDIT_KEY")
    CPP_AUDIT_ANCHOR_FILE = os.environ.get("CPP_AUDIT_ANCHOR_FILE", "")
    SQLALCHEMY_DATABASE_URI = normalise_database_url(
        os.environ.get("DATABASE_URL") or _default_database_url(INSTANCE_PATH)
    )
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    # How long a SQLite write waits for another writer before giving up (milliseconds).
    CPP_SQLITE_BUSY_TIMEOUT_MS = _env_int("CPP_SQLITE_BUSY_TIMEOUT_MS", 10_000)
    # /healthz reports a SQLite database whose disk has less room than this as unhealthy.
    CPP_HEALTH_MIN_FREE_MB = _env_int("CPP_HEALTH_MIN_FREE_MB", 20)

    # The address the public reaches the app at: QR codes, flyers and links in emails use it.
    CPP_PUBLIC_BASE_URL = os.environ.get("CPP_PUBLIC_BASE_URL", "")

    # Department and domain settings.
    CPP_DEPARTMENT_NAME = os.environ.get("CPP_DEPARTMENT_NAME", "Demo County Sheriff's Department")
    CPP_TIMEZONE = os.environ.get("CPP_TIMEZONE", "America/Chicago")
    CPP_TRAINING_HOURS = _env_int("CPP_TRAINING_HOURS", 8)
    CPP_TRAINING_PERIOD = os.environ.get("CPP_TRAINING_PERIOD", "calendar-year")
    CPP_TRAINING_GRACE_DAYS = _env_int("CPP_TRAINING_GRACE_DAYS", 90)
    CPP_UPDATE_INTERVAL_MONTHS = _env_int("CPP_UPDATE_INTERVAL_MONTHS", 6)
    CPP_PAGE_SIZE = _env_int("CPP_PAGE_SIZE", 25)
    CPP_MIN_PUBLIC_COUNT = _env_int("CPP_MIN_PUBLIC_COUNT", 10)
    CPP_REPORT_TIME_LIMIT_SECONDS = _env_int("CPP_REPORT_TIME_LIMIT_SECONDS", 600)
    # Imports: files beyond these are refused before they are read; uploads whose contents
    # (uncompressed, for a workbook) exceed CPP_IMPORT_BACKGROUND_MB are read by the scheduler.
    CPP_IMPORT_MAX_ROWS = _env_int("CPP_IMPORT_MAX_ROWS", 2_000_000)
    CPP_IMPORT_MAX_COLUMNS = _env_int("CPP_IMPORT_MAX_COLUMNS", 200)
    CPP_IMPORT_MAX_UNCOMPRESSED_MB = _env_int("CPP_IMPORT_MAX_UNCOMPRESSED_MB", 300)
    CPP_IMPORT_BACKGROUND_MB = _env_int("CPP_IMPORT_BACKGROUND_MB", 5)
    CPP_IMPORT_TIME_LIMIT_SECONDS = _env_int("CPP_IMPORT_TIME_LIMIT_SECONDS", 900)

    # Login protection: after a few free failures, each further failure doubles the wait
    # (1 s, 2 s, 4 s ...) of the account and of the client address, each up to its cap. The
    # account's cap stays short so that nobody can keep its owner out; a client's grows long.
    CPP_LOGIN_FREE_FAILURES = _env_int("CPP_LOGIN_FREE_FAILURES", 3)
    CPP_LOGIN_ACCOUNT_MAX_DELAY_SECONDS = _env_int("CPP_LOGIN_ACCOUNT_MAX_DELAY_SECONDS", 30)
    CPP_LOGIN_CLIENT_MAX_DELAY_SECONDS = _env_int("CPP_LOGIN_CLIENT_MAX_DELAY_SECONDS", 3600)
    CPP_LOGIN_FORGET_HOURS = _env_int("CPP_LOGIN_FORGET_HOURS", 24)
    CPP_LOGIN_RATE_LIMIT = os.environ.get("CPP_LOGIN_RATE_LIMIT", "10 per minute")
    CPP_SESSION_ABSOLUTE_HOURS = _env_int("CPP_SESSION_ABSOLUTE_HOURS", 12)

    # Passwords: the lowest zxcvbn score (0-4) accepted, and the forgot-password links.
    CPP_PASSWORD_MIN_SCORE = _env_int("CPP_PASSWORD_MIN_SCORE", 3)
    CPP_PASSWORD_RESET_MINUTES = _env_int("CPP_PASSWORD_RESET_MINUTES", 60)
    CPP_PASSWORD_RESET_PER_HOUR = _env_int("CPP_PASSWORD_RESET_PER_HOUR", 3)
    CPP_FORGOT_PASSWORD_RATE_LIMIT = os.environ.get("CPP_FORGOT_PASSWORD_RATE_LIMIT",
                                                    "5 per hour")
    #: The address people reach the app at (https://cpp.example.gov), for links in emails;
    #: empty: the address of the request that asked for the email.
    CPP_PUBLIC_BASE_URL = os.environ.get("CPP_PUBLIC_BASE_URL", "").rstrip("/")
    #: Roles that must use two-factor authentication (not configurable from the environment).
    CPP_TWO_FACTOR_ROLES = frozenset({"admin", "commander"})
    CPP_TOTP_ISSUER = os.environ.get("CPP_TOTP_ISSUER", "CPP Manager")

    # Sessions: idle timeout via a permanent session refreshed on each request.
    PERMANENT_SESSION_LIFETIME = timedelta(minutes=_env_int("CPP_SESSION_IDLE_MINUTES", 60))
    SESSION_REFRESH_EACH_REQUEST = True
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    SESSION_COOKIE_NAME = "cpp_session"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_SECURE = False
    REMEMBER_COOKIE_DURATION = timedelta(hours=12)

    # Forms: a long CSRF window so a slow form does not lose what was typed.
    WTF_CSRF_TIME_LIMIT = _env_int("WTF_CSRF_TIME_LIMIT", 8 * 3600)

    # Uploads; files left behind (abandoned mappings, crashed requests) go after this long.
    MAX_CONTENT_LENGTH = _env_int("CPP_MAX_UPLOAD_MB", 50) * 1024 * 1024
    CPP_UPLOAD_MAX_AGE_HOURS = _env_int("CPP_UPLOAD_MAX_AGE_HOURS", 24)

    # Rate limiting. When the shared store (Redis) cannot be reached, the limits are counted
    # in the worker's memory (Flask-Limiter logs a warning) and no request fails for it; the
    # store is tried again, ever less often, and used as soon as it answers.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_STORAGE_OPTIONS = _storage_options(RATELIMIT_STORAGE_URI)
    RATELIMIT_ENABLED = _env_bool("RATELIMIT_ENABLED", True)
    RATELIMIT_HEADERS_ENABLED = True
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True
    # Survey responses one client address may store; invalid submissions do not count. Residents
    # at one meeting on one wifi share an address, so it is set well above one person's pace.
    CPP_SURVEY_RESPONSE_RATE_LIMIT = os.environ.get("CPP_SURVEY_RESPONSE_RATE_LIMIT",
                                                    "20 per minute;300 per hour")

    # Proxies: how many trusted proxies sit in front of the app (0 = none).
    CPP_PROXY_COUNT = _env_int("CPP_PROXY_COUNT", 0)

    # Mail (used by reminders).
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "")
    MAIL_PORT = _env_int("MAIL_PORT", 25)
    MAIL_USE_TLS = _env_bool("MAIL_USE_TLS", False)
    MAIL_USE_SSL = _env_bool("MAIL_USE_SSL", False)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME", "")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD", "")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "cpp-manager@localhost")

    BOOTSTRAP_SERVE_LOCAL = True
    BABEL_DEFAULT_LOCALE = "en"

    @classmethod
    def prepare(cls, config: dict) -> None:
        """Fill in settings that need work at start-up (hook for subclasses)."""


class DevelopmentConfig(BaseConfig):
    """Local development: a generated secret key and audit key kept in the instance folder."""

    ENV_NAME = "development"
    DEBUG = False

    @classmethod
    def prepare(cls, config: dict) -> None:
        """Generate the secret key and the audit key into the instance folder when not set."""
        for setting, file_name in (("SECRET_KEY", "secret_key"), ("CPP_AUDIT_KEY", "audit_key")):
            if not config.get(setting):
                config[setting] = _instance_secret(Path(config["INSTANCE_PATH"]), file_name)


class TestingConfig(BaseConfig):
    """The test suite: its own database, no rate limits unless a test turns them on."""

    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "test-secret-key-not-for-production"  # noqa: S105 - tests only
    CPP_AUDIT_KEY = "test-audit-key-not-for-production-0123456789"
    SQLALCHEMY_DATABASE_URI = normalise_database_url(
        os.environ.get("TEST_DATABASE_URL", "sqlite://")
    )
    RATELIMIT_ENABLED = False
    RATELIMIT_STORAGE_URI = "memory://"
    PASSWORD_HASH_METHOD = "scrypt:1024:8:1"  # noqa: S105 - weaker, faster hashing for tests
    # Test users log in with the password alone; the two-factor tests switch this on.
    CPP_TWO_FACTOR_ROLES = frozenset()


class ProductionConfig(BaseConfig):
    """Production: secure cookies and a secret key that must come from the environment."""

    ENV_NAME = "production"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    # The __Host- prefix: browsers accept the cookie only when Secure, for Path=/ and without
    # a Domain, so no other host (a sibling subdomain) can set or overwrite it.
    SESSION_COOKIE_NAME = "__Host-cpp_session"
    SESSION_COOKIE_PATH = "/"
    SESSION_COOKIE_DOMAIN = None
    REMEMBER_COOKIE_NAME = "__Host-cpp_remember"
    REMEMBER_COOKIE_PATH = "/"
    REMEMBER_COOKIE_DOMAIN = None

    @classmethod
    def prepare(cls, config: dict) -> None:
        """Refuse to start without a secret key and an audit key from the environment."""
        if not config.get("SECRET_KEY"):
            raise RuntimeError(
                "SECRET_KEY must be set in production. Generate one with "
                "`python -c 'import secrets; print(secrets.token_hex(32))'`."
            )
        config["CPP_PUBLIC_BASE_URL"] = check_public_base_url(config.get("CPP_PUBLIC_BASE_URL"))
        check_rate_limit_storage(_env_int("WEB_CONCURRENCY", 1),
                                 config.get("RATELIMIT_STORAGE_URI") or "memory://", "production")
        if len(config.get("CPP_AUDIT_KEY") or "") < MIN_AUDIT_KEY_LENGTH:
            raise RuntimeError(
                f"CPP_AUDIT_KEY must be set in production, at least {MIN_AUDIT_KEY_LENGTH} "
                "characters, and kept apart from the database. Generate one with "
                "`python -c 'import secrets; print(secrets.token_hex(32))'`."
            )


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}


def config_for(name: str | None) -> type[BaseConfig]:
    """The config class named by `name`, or by `CPP_ENV` (default production)."""
    chosen = name or os.environ.get("CPP_ENV", "production")
    try:
        return CONFIGS[chosen]
    except KeyError as error:
        raise RuntimeError(
            f"Unknown environment {chosen!r}; use one of {', '.join(CONFIGS)}"
        ) from error


def check_public_base_url(value: str | None) -> str:
    """The configured base URL when it is an http(s) URL with a host; RuntimeError otherwise."""
    parts = urlsplit(value or "")
    if parts.scheme not in {"http", "https"} or not parts.netloc or parts.query \
            or parts.fragment:
        raise RuntimeError(
            "CPP_PUBLIC_BASE_URL must be set in production to the address the public uses, "
            "such as https://cpp.example.gov: QR codes, flyers and links in emails are built "
            f"from it, never from a request's Host header (got {value!r}).")
    return value.rstrip("/")


def check_rate_limit_storage(workers: int, storage_uri: str, environment: str) -> str | None:
    """Refuse (RuntimeError) several production workers counting rate limits in memory.

    `memory://` keeps one count per worker process, so N workers allow N times every limit.
    Returns a warning for the same setup outside production, None when all is well.
    """
    if workers <= 1 or not storage_uri.startswith("memory://"):
        return None
    message = (f"{workers} workers with RATELIMIT_STORAGE_URI={storage_uri} would each keep "
               f"their own rate-limit counters, allowing {workers} times every limit. Set "
               "RATELIMIT_STORAGE_URI to a shared store (redis://host:6379/0) or run one worker.")
    if environment == "production":
        raise RuntimeError(message)
    return message


def _instance_secret(instance_path: Path, file_name: str) -> str:
    """Read, or create once, a development secret in the instance folder."""
    instance_path.mkdir(parents=True, exist_ok=True)
    key_file = instance_path / file_name
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()
