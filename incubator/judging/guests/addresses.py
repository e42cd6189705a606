"""The stored address of a guest judge who gave no e-mail.

Accounts need a unique e-mail, so such a guest gets one under `guests.invalid`: the `.invalid`
top-level domain is reserved (RFC 2606, RFC 6761) and can never receive mail, and conflict
detection ignores it, so two guests never look related by a shared domain. It is never shown to
people as an address (`shown_address`) and never mailed (`receives_mail`).
"""

import secrets

PLACEHOLDER_DOMAIN = "guests.invalid"


def placeholder_address() -> str:
    """A fresh, unique-enough address for a guest without e-mail."""
    return f"guest-{secrets.token_hex(8)}@{PLACEHOLDER_DOMAIN}"


def is_placeholder(email: str | None) -> bool:
    return (email or "").lower().endswith("@" + PLACEHOLDER_DOMAIN)


def receives_mail(email: str | None) -> bool:
    """False for an address that can never receive mail (a reserved `.invalid` one)."""
    return bool(email) and not (email or "").lower().rstrip(".").endswith(".invalid")


def shown_address(email: str | None) -> str:
    """The address as people see it: empty for a guest's placeholder."""
    return "" if is_placeholder(email) else (email or "")
