"""Bearer tokens: made once and shown once, stored as a hash, checked in constant time."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Role, Token
from db.models.access import utc_now

PREFIX = "blt"


class TokenError(ValueError):
    """A token cannot be made or revoked as asked (a name in use, an unknown name)."""


@dataclass(frozen=True)
class Holder:
    """Who a valid token belongs to."""

    name: str
    role: Role


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


async def create_token(session: AsyncSession, name: str, role: Role) -> str:
    """Make a token and return it; only its key and the hash of its secret are stored."""
    name = name.strip()
    if not name:
        raise TokenError("a token needs a name")
    if await session.scalar(select(Token.id).where(Token.name == name)) is not None:
        raise TokenError(f"a token named {name!r} exists already; revoke it first")
    key, secret = secrets.token_hex(8), secrets.token_urlsafe(32)
    session.add(Token(name=name, role=role, key=key, secret_sha256=_digest(secret)))
    await session.flush()
    return f"{PREFIX}_{key}_{secret}"


async def list_tokens(session: AsyncSession) -> Sequence[Token]:
    """Every token, by name."""
    return (await session.scalars(select(Token).order_by(Token.name))).all()


async def revoke_token(session: AsyncSession, name: str) -> None:
    """Delete a token: it stops working at once."""
    if (await session.execute(delete(Token).where(Token.name == name))).rowcount == 0:  # type: ignore[attr-defined]
        raise TokenError(f"no token is named {name!r}")


async def check_token(session: AsyncSession, presented: str) -> Holder | None:
    """The holder of a presented token, or None; records when it was last used."""
    prefix, _, rest = presented.partition("_")
    key, _, secret = rest.partition("_")
    if prefix != PREFIX or not key or not secret:
        return None
    token = await session.scalar(select(Token).where(Token.key == key))
    # The key only finds the row; the secret decides, compared in constant time.
    if token is None or not hmac.compare_digest(token.secret_sha256, _digest(secret)):
        return None
    token.last_used_at = utc_now()
    return Holder(token.name, token.role)
