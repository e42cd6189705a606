"""The demo programme that `flask seed-demo` loads (it grows as features land)."""

from sqlalchemy import select

from incubator.audit.services import record
from incubator.auth.models import User, UserRole
from incubator.auth.passwords import hash_password
from incubator.core.database import utcnow
from incubator.extensions import db

DEMO_PASSWORD = "demo12345"  # noqa: S105 - the documented demo password
DEMO_USERS = [
    ("director@example.org", "Dewi Lestari", ["director"]),
    ("judge1@example.org", "Agus Setiawan", ["judge"]),
    ("judge2@example.org", "Maya Kusuma", ["judge"]),
    ("judge3@example.org", "Hendra Wijaya", ["judge", "mentor"]),
    ("mentor1@example.org", "Ratna Sari", ["mentor"]),
    ("founder1@example.org", "Rina Widyastuti", ["applicant"]),
]


def seed_demo() -> bool:
    """Add whatever part of the demo data is missing; True when anything was added."""
    existing = set(db.session.scalars(select(User.email).where(User.email.in_([u[0] for u in DEMO_USERS]))))
    # The demo password is on the common-password list on purpose (nobody may pick
    # it), so demo accounts get its hash directly instead of going through create_user.
    password_hash = hash_password(DEMO_PASSWORD)
    added = False
    for email, name, roles in DEMO_USERS:
        if email in existing:
            continue
        user = User(
            email=email,
            name=name,
            password_hash=password_hash,
            email_confirmed_at=utcnow(),
            role_rows=[UserRole(role=r) for r in roles],
        )
        db.session.add(user)
        db.session.flush()
        record("user.created", user, roles=roles, source="seed-demo")
        added = True
    return added
