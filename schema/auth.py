"""Who is writing: the bearer token of a mutation, checked against the token table."""

from __future__ import annotations

from graphql import GraphQLError
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Role
from db.tokens import check_token


async def authorize_editor(session: AsyncSession, authorization: str | None) -> str:
    """The name of the editor token in an Authorization header; a GraphQL error otherwise.

    No token, a malformed header or an unknown token is UNAUTHENTICATED; a valid
    token without the editor role is FORBIDDEN.
    """
    scheme, _, token = (authorization or "").strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise GraphQLError(
            "Writing needs a bearer token: send `Authorization: Bearer <token>`.",
            extensions={"code": "UNAUTHENTICATED"},
        )
    holder = await check_token(session, token.strip())
    if holder is None:
        raise GraphQLError("The bearer token is not valid.", extensions={"code": "UNAUTHENTICATED"})
    if holder.role is not Role.EDITOR:
        raise GraphQLError(
            f"The token {holder.name!r} may read but not write: writing needs the editor role.",
            extensions={"code": "FORBIDDEN"},
        )
    return holder.name
