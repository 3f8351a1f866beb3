"""Accounts, roles and the audit log."""

from __future__ import annotations

import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import JSON, Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.clock import utcnow
from portal.extensions import db

ROLES: dict[str, str] = {
    "member": "Voluntary or community group member",
    "moderator": "Forum moderator",
    "analyst": "Partnership analyst",
    "staff": "Partnership staff (CSP lead)",
    "safeguarding": "Safeguarding lead",
    "admin": "Administrator",
}
# Roles that reach personal data or run the service must use a second factor.
SECOND_FACTOR_ROLES = frozenset({"analyst", "staff", "safeguarding", "admin"})
# Roles whose holders count as staff for the idle timeout and the staff area.
STAFF_ROLES = frozenset({"analyst", "staff", "safeguarding", "admin"})

user_roles = Table(
    "user_role",
    db.metadata,
    Column("user_id", ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True),
    Column("role_id", ForeignKey("role.id", ondelete="CASCADE"), primary_key=True),
)


def new_session_token() -> str:
    """A fresh random token; rotating it logs the account out everywhere."""
    return secrets.token_urlsafe(32)


class Role(db.Model):
    """A named permission set given to accounts."""

    __tablename__ = "role"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(32), unique=True)
    description: Mapped[str] = mapped_column(String(200), default="")


class User(UserMixin, db.Model):
    """A person with an account: group members, moderators, partnership staff, admins."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    session_token: Mapped[str] = mapped_column(String(64), unique=True, default=new_session_token)
    active: Mapped[bool] = mapped_column(default=True)
    email_confirmed_at: Mapped[datetime | None]
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_confirmed_at: Mapped[datetime | None]
    totp_last_counter: Mapped[int | None]
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    password_changed_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]

    roles: Mapped[list[Role]] = relationship(secondary=user_roles, lazy="selectin")

    def get_id(self) -> str:
        """Flask-Login stores the session token, not the id, so rotating it ends old sessions."""
        return self.session_token

    @property
    def is_active(self) -> bool:  # type: ignore[override]
        return self.active

    @property
    def role_names(self) -> set[str]:
        return {role.name for role in self.roles}

    def has_role(self, *names: str) -> bool:
        """True when the account holds any of the roles (admins hold them all)."""
        held = self.role_names
        return "admin" in held or bool(held.intersection(names))

    @property
    def needs_second_factor(self) -> bool:
        return bool(self.role_names & SECOND_FACTOR_ROLES)

    @property
    def is_staff(self) -> bool:
        return bool(self.role_names & STAFF_ROLES)


class AuditEvent(db.Model):
    """Who did what, when: sign-ins, role changes, views of personal data, curation decisions."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(64), index=True)
    subject: Mapped[str] = mapped_column(String(120), default="")
    detail: Mapped[dict | None] = mapped_column(JSON)
    note: Mapped[str] = mapped_column(Text, default="")

    user: Mapped[User | None] = relationship()
