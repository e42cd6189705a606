"""Configuration classes, read from the environment (and a `.env` file)."""

import os
import secrets
from pathlib import Path

from dotenv import load_dotenv

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = BASE_DIR / "instance"

load_dotenv(BASE_DIR / ".env")


def _instance_secret_key() -> str:
    """A key generated on first start and kept in `instance/`, so sessions survive restarts."""
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    path = INSTANCE_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


class Config:
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL") or (f"sqlite:///{INSTANCE_DIR / 'incubator.sqlite3'}")
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    UPLOAD_FOLDER = os.environ.get("UPLOAD_FOLDER") or str(INSTANCE_DIR / "uploads")
    # A deck may be MAX_UPLOAD_MB; a request carries a little more (the form around it).
    MAX_DECK_BYTES = _int("MAX_UPLOAD_MB", 20) * 1024 * 1024
    MAX_CONTENT_LENGTH = MAX_DECK_BYTES + 1024 * 1024
    REDIS_URL = os.environ.get("REDIS_URL") or None

    # Mail: without MAIL_SERVER every message stays in the outbox.
    MAIL_SERVER = os.environ.get("MAIL_SERVER") or None
    MAIL_PORT = _int("MAIL_PORT", 25)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_USE_TLS = os.environ.get("MAIL_USE_TLS", "").lower() in {"1", "true", "yes"}
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER") or "noreply@hetero-incubator.local"
    MAIL_TIMEOUT = _int("MAIL_TIMEOUT", 10)
    MAIL_MAX_ATTEMPTS = _int("MAIL_MAX_ATTEMPTS", 5)
    # Links in e-mails need an absolute address; requests give it, the CLI uses this.
    BASE_URL = os.environ.get("BASE_URL") or "http://127.0.0.1:5000"

    # Languages and time: Bahasa Indonesia first, times in WIB.
    LANGUAGES = ("id", "en")
    BABEL_DEFAULT_LOCALE = "id"
    BABEL_DEFAULT_TIMEZONE = "Asia/Jakarta"
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "incubator" / "translations")

    # Sessions and cookies.
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    PERMANENT_SESSION_LIFETIME = 60 * 60 * 24 * 14
    REMEMBER_COOKIE_HTTPONLY = True
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session: no lost forms

    # Rate limits: in memory by default, Redis when REDIS_URL is set.
    RATELIMIT_ENABLED = True
    RATELIMIT_STORAGE_URI = REDIS_URL or "memory://"
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT") or "10 per minute"
    LOGIN_RATE_LIMIT_PER_ACCOUNT = os.environ.get("LOGIN_RATE_LIMIT_PER_ACCOUNT") or "5 per minute"

    # Token lifetimes (hours).
    CONFIRM_TOKEN_HOURS = _int("CONFIRM_TOKEN_HOURS", 72)
    RESET_TOKEN_HOURS = _int("RESET_TOKEN_HOURS", 2)
    INVITE_TOKEN_HOURS = _int("INVITE_TOKEN_HOURS", 24 * 7)
    # A judge gets at most one reminder per round in this many hours (button and `flask send-reminders`).
    JUDGE_REMINDER_INTERVAL_HOURS = _int("JUDGE_REMINDER_INTERVAL_HOURS", 24)

    # Background exports: how many run at once in the web process (without Redis), how long
    # finished files are kept, and from how many pages an export goes to the background.
    EXPORT_JOB_WORKERS = _int("EXPORT_JOB_WORKERS", 1)
    EXPORT_KEEP_HOURS = _int("EXPORT_KEEP_HOURS", 24)
    RETENTION_MONTHS = _int("RETENTION_MONTHS", 24)  # privacy.retention: applications not selected
    EXPORT_BACKGROUND_PAGES = _int("EXPORT_BACKGROUND_PAGES", 20)
    EXPORT_JOBS_SYNC = False  # tests may run jobs in the request's thread instead
    # Reverse proxies in front of the app (nginx, a load balancer): how many X-Forwarded-* hops to
    # trust, so client addresses (rate limits, audit) and https links are right. 0: none, run bare.
    TRUSTED_PROXIES = _int("TRUSTED_PROXIES", 0)
    # Processes that render a long PDF in parallel (0: one per CPU core).
    REPORT_WORKERS = _int("REPORT_WORKERS", 0)

    PER_PAGE = 25
    PASSWORD_HASH_METHOD = "scrypt"  # noqa: S105 - a method name, not a password; werkzeug's default cost: n=2**15, r=8, p=1

    @classmethod
    def init(cls) -> None:
        """Fill settings that need the file system."""
        if not cls.SECRET_KEY:
            cls.SECRET_KEY = _instance_secret_key()


class DevelopmentConfig(Config):
    DEBUG = False


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret-key"  # noqa: S105 - tests only
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL") or "sqlite://"
    MAIL_SERVER = None
    REDIS_URL = None
    RATELIMIT_STORAGE_URI = "memory://"
    SERVER_NAME = None
    # Still scrypt, at a cost that keeps hundreds of test logins fast.
    PASSWORD_HASH_METHOD = "scrypt:1024:8:1"  # noqa: S105


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"

    @classmethod
    def init(cls) -> None:
        if not cls.SECRET_KEY:
            raise RuntimeError("SECRET_KEY must be set in production")


def config_from_env() -> type[Config]:
    """The config class named by FLASK_CONFIG or FLASK_ENV (development by default)."""
    name = (os.environ.get("FLASK_CONFIG") or os.environ.get("FLASK_ENV") or "development").lower()
    return {"production": ProductionConfig, "testing": TestConfig}.get(name, DevelopmentConfig)
