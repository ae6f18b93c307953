"""Accounts: users with a role, argon2 password hashes (pwdlib), and every change to them kept
in the audit trail."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from functools import lru_cache

from pwdlib import PasswordHash
from sqlalchemy.orm import Session

from twinlink.errors import NotFound, TwinlinkError
from twinlink.store.parties import get_party
from twinlink.store.tables import User
from twinlink.store.users import (
    add_membership,
    add_token,
    add_user,
    find_token,
    get_token,
    get_user,
    list_tokens,
    list_users,
    organisations_of,
    record_audit,
    remove_membership,
)
from twinlink.vocab import Role

MIN_PASSWORD_LENGTH = 10
MIN_PASSWORD_SCORE = 3  # zxcvbn's 0–4: 3 resists guessing offline against a slow hash


class AccountError(TwinlinkError):
    """A user, password or role that cannot be accepted."""


@dataclass(frozen=True)
class Account:
    """A signed-in user as the web and the CLI see one."""

    name: str
    role: Role
    organisations: frozenset[str] = frozenset()  # the parties the user works for

    def may(self, needed: Role) -> bool:
        return self.role.allows(needed)

    def sees_contacts_of(self, party_id: str | None) -> bool:
        """Contacts are for the partnership organisation's coordinators and the organisation's own users."""
        return self.may(Role.COORDINATOR) or (party_id is not None and party_id in self.organisations)


@lru_cache(maxsize=1)
def _hasher() -> PasswordHash:
    return PasswordHash.recommended()


def check_password(name: str, password: str) -> None:
    """Refuse a password that is too short or easy to guess: among the most used, a word, the
    user's name, a keyboard run or a repeat (zxcvbn's estimate, with its dictionaries)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"password: use at least {MIN_PASSWORD_LENGTH} characters")
    from zxcvbn import zxcvbn  # its dictionaries take a moment to load: only when a password is set

    strength = zxcvbn(password[:200], user_inputs=[name])  # its time grows fast with the length
    if strength["score"] < MIN_PASSWORD_SCORE:
        hint = strength["feedback"]["warning"] or "it follows a pattern that is quickly guessed"
        raise AccountError(f"password: too easy to guess ({hint.rstrip('.')}); choose another")


def _role(value: str) -> Role:
    try:
        return Role(value)
    except ValueError:
        raise AccountError(f"role {value!r}: choose one of {', '.join(r.value for r in Role)}") from None


def create_user(session: Session, name: str, password: str, role: str, actor: str) -> Account:
    name = name.strip()
    if not name or len(name) > 100 or any(ch.isspace() for ch in name):
        raise AccountError(f"user name {name!r}: give a name of 1 to 100 characters without spaces")
    if get_user(session, name) is not None:
        raise AccountError(f"user {name!r} exists already")
    checked = _role(role)
    check_password(name, password)
    add_user(session, name, _hasher().hash(password), checked.value)
    record_audit(session, actor, "user.add", name, role=checked.value)
    return Account(name, checked)


def _existing(session: Session, name: str) -> User:
    user = get_user(session, name)
    if user is None:
        raise NotFound(f"no user called {name!r}")
    return user


def set_role(session: Session, name: str, role: str, actor: str) -> None:
    user = _existing(session, name)
    checked = _role(role)
    record_audit(session, actor, "user.role", name, before=user.role, after=checked.value)
    user.role = checked.value


def set_disabled(session: Session, name: str, disabled: bool, actor: str) -> None:
    user = _existing(session, name)
    record_audit(session, actor, "user.disable" if disabled else "user.enable", name)
    user.disabled = disabled


def change_password(session: Session, name: str, current: str, new: str) -> None:
    user = _existing(session, name)
    if not _hasher().verify(current, user.password_hash):
        record_audit(session, name, "user.password.failed", name)
        raise AccountError("the current password is not right")
    check_password(name, new)
    user.password_hash = _hasher().hash(new)
    record_audit(session, name, "user.password", name)


def authenticate(session: Session, name: str, password: str) -> Account | None:
    """The account these credentials sign in to, or None (a failure is kept in the audit trail)."""
    user = get_user(session, name)
    if user is None or user.disabled or not _hasher().verify(password, user.password_hash):
        record_audit(session, name[:100], "sign-in.failed", name[:300])
        return None
    record_audit(session, name, "sign-in", name)
    return Account(user.name, Role(user.role))


def account_of(session: Session, name: str) -> Account | None:
    """The account of a user who is still allowed in (not disabled), for a session cookie."""
    user = get_user(session, name)
    if user is None or user.disabled:
        return None
    return Account(user.name, Role(user.role), organisations_of(session, user))


def accounts(session: Session) -> list[tuple[Account, bool]]:
    """Every user with whether they are disabled."""
    return [(Account(u.name, Role(u.role)), u.disabled) for u in list_users(session)]


TOKEN_PREFIX = "tl_"


def _token_hash(token: str) -> str:
    # a token is 256 random bits: a plain SHA-256 keeps it from being read back, and is quick
    # enough to check on every request (argon2 is for what people choose)
    return hashlib.sha256(token.encode()).hexdigest()


def issue_token(session: Session, name: str, label: str, actor: str) -> tuple[int, str]:
    """A new API token for the user: its id and the token, which is shown only now."""
    user = _existing(session, name)
    label = label.strip()[:100] or "token"
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    stored = add_token(session, user, label, _token_hash(token))
    record_audit(session, actor, "token.issue", name, token_id=stored.id, label=label)
    return stored.id, token


def revoke_token(session: Session, token_id: int, actor: str) -> None:
    stored = get_token(session, token_id)
    if stored is None:
        raise NotFound(f"no API token {token_id}")
    stored.revoked = True
    record_audit(session, actor, "token.revoke", str(token_id))


def tokens_of(session: Session, name: str) -> list[tuple[int, str, str, bool]]:
    """(id, label, created, revoked) of the user's tokens."""
    user = _existing(session, name)
    return [(t.id, t.label, t.created_at.isoformat(timespec="seconds"), t.revoked) for t in list_tokens(session, user)]


def account_of_token(session: Session, token: str) -> Account | None:
    """The account a token acts for; None for an unknown or revoked token or a disabled user."""
    if not token.startswith(TOKEN_PREFIX):
        return None
    found = find_token(session, _token_hash(token))
    if found is None:
        return None
    stored, user = found
    if stored.revoked or user.disabled:
        return None
    return Account(user.name, Role(user.role), organisations_of(session, user))


def set_membership(session: Session, name: str, party_id: str, member: bool, actor: str) -> None:
    """Say that a user works for an organisation in the register (or no longer does)."""
    user = _existing(session, name)
    if get_party(session, party_id) is None:
        raise NotFound(f"no party {party_id!r} in the register")
    if member:
        add_membership(session, user, party_id)
    else:
        remove_membership(session, user, party_id)
    record_audit(session, actor, "user.organisation" if member else "user.organisation.remove", name, party=party_id)
