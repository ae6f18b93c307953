"""Reading and writing users and the audit trail."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from twinlink.store.tables import ApiToken, AuditEntry, Membership, User


def get_user(session: Session, name: str) -> User | None:
    return session.scalars(select(User).where(User.name == name)).first()


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.name)))


def count_users(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(User)) or 0)


def add_user(session: Session, name: str, password_hash: str, role: str) -> User:
    user = User(name=name, password_hash=password_hash, role=role, disabled=False)
    session.add(user)
    session.flush()
    return user


def record_audit(session: Session, actor: str, action: str, subject: str = "", **detail: Any) -> None:
    """Keep one line of the audit trail, in the same transaction as the write it records."""
    session.add(
        AuditEntry(
            actor=actor,
            action=action,
            subject=subject,
            detail=json.dumps(detail, ensure_ascii=False, sort_keys=True, default=str),
        )
    )


def list_audit(
    session: Session,
    *,
    limit: int = 100,
    actor: str | None = None,
    action: str | None = None,
    subject: str | None = None,
) -> list[AuditEntry]:
    """The latest lines first, optionally of one actor, of actions starting with ``action``, or
    about one subject."""
    query = select(AuditEntry).order_by(AuditEntry.id.desc())
    if actor:
        query = query.where(AuditEntry.actor == actor)
    if action:
        query = query.where(AuditEntry.action.startswith(action, autoescape=True))
    if subject:
        query = query.where(AuditEntry.subject == subject)
    return list(session.scalars(query.limit(limit)))


def add_token(session: Session, user: User, label: str, token_hash: str) -> ApiToken:
    token = ApiToken(user_id=user.id, label=label, token_hash=token_hash, revoked=False)
    session.add(token)
    session.flush()
    return token


def find_token(session: Session, token_hash: str) -> tuple[ApiToken, User] | None:
    row = session.execute(
        select(ApiToken, User).join(User, User.id == ApiToken.user_id).where(ApiToken.token_hash == token_hash)
    ).first()
    return (row[0], row[1]) if row else None


def list_tokens(session: Session, user: User) -> list[ApiToken]:
    return list(session.scalars(select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id)))


def get_token(session: Session, token_id: int) -> ApiToken | None:
    return session.get(ApiToken, token_id)


def organisations_of(session: Session, user: User) -> frozenset[str]:
    return frozenset(session.scalars(select(Membership.party_id).where(Membership.user_id == user.id)))


def add_membership(session: Session, user: User, party_id: str) -> None:
    if session.get(Membership, (user.id, party_id)) is None:
        session.add(Membership(user_id=user.id, party_id=party_id))
        session.flush()


def remove_membership(session: Session, user: User, party_id: str) -> None:
    found = session.get(Membership, (user.id, party_id))
    if found is not None:
        session.delete(found)
        session.flush()
