"""Users with several roles, their sessions, and single-use tokens."""

import enum
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from incubator.core.database import UTCDateTime, utcnow
from incubator.extensions import db


class Role(enum.StrEnum):
    APPLICANT = "applicant"
    JUDGE = "judge"
    MENTOR = "mentor"
    DIRECTOR = "director"


ROLE_VALUES = tuple(r.value for r in Role)
LOCALES = ("id", "en")  # the languages a user can choose; their pages and e-mails use it


class TokenPurpose(enum.StrEnum):
    CONFIRM = "confirm"
    RESET = "reset"
    INVITE = "invite"


def _in(column: str, values) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class User(UserMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    locale: Mapped[str] = mapped_column(String(5), default="id")
    active: Mapped[bool] = mapped_column(default=True)
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    role_rows: Mapped[list["UserRole"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    __table_args__ = (CheckConstraint(_in("locale", LOCALES), name="locale"),)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"

    @property
    def roles(self) -> set[str]:
        return {row.role for row in self.role_rows}

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    @property
    def is_director(self) -> bool:
        return self.has_role(Role.DIRECTOR)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    @property
    def email_confirmed(self) -> bool:
        return self.email_confirmed_at is not None

    def can_manage_users(self) -> bool:
        return self.is_director


class UserRole(db.Model):
    __tablename__ = "user_roles"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship(back_populates="role_rows")

    __table_args__ = (
        UniqueConstraint("user_id", "role"),
        CheckConstraint(_in("role", ROLE_VALUES), name="role"),
    )


class UserSession(db.Model):
    """A signed-in browser. Deleting the row ends that session wherever its cookie is."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    user_agent: Mapped[str | None] = mapped_column(String(255))

    user: Mapped[User] = relationship()


class UserToken(db.Model):
    """A single-use, expiring token behind an e-mailed link; only its hash is stored."""

    __tablename__ = "user_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    purpose: Mapped[str] = mapped_column(String(20))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()

    __table_args__ = (CheckConstraint(_in("purpose", tuple(p.value for p in TokenPurpose)), name="purpose"),)
