"""Password rules and hashing (werkzeug's scrypt)."""

from functools import cache
from pathlib import Path

from flask import current_app, has_app_context
from flask_babel import lazy_gettext as _l
from werkzeug.security import check_password_hash, generate_password_hash

MIN_LENGTH = 8
MAX_LENGTH = 128
# demo12345 is the documented password of the demo accounts, which seed-demo sets
# directly; nobody may choose it.
_LIST = Path(__file__).with_name("common_passwords.txt")


@cache
def common_passwords() -> frozenset[str]:
    lines = _LIST.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def password_problem(password: str) -> str | None:
    """Why `password` is refused, translated, or None when it is acceptable."""
    if len(password) < MIN_LENGTH:
        return str(_l("Use at least %(n)d characters.", n=MIN_LENGTH))
    if len(password) > MAX_LENGTH:
        return str(_l("Use at most %(n)d characters.", n=MAX_LENGTH))
    if password.lower() in common_passwords() or len(set(password)) < 3:
        return str(_l("This password is too common; choose one that is harder to guess."))
    return None


def hash_password(password: str) -> str:
    """A werkzeug scrypt hash; the cost comes from PASSWORD_HASH_METHOD (lower only in tests)."""
    method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt") if has_app_context() else "scrypt"
    return generate_password_hash(password, method=method)


def verify_password(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        # Same work as a real check, so a missing account is not revealed by timing.
        check_password_hash(_DUMMY_HASH, password)
        return False
    return check_password_hash(password_hash, password)


_DUMMY_HASH = generate_password_hash("not-a-real-password", method="scrypt")
