"""The caller's budget of cost points, as `Query.rateLimit` reports it (schema.budget)."""

from __future__ import annotations

import datetime as dt

import strawberry

from schema.budget import Usage


@strawberry.type(
    description="Where the caller's budget of cost points stands in the current window, before"
    " this request (reading it alone costs nothing). The same figures come in the"
    " X-RateLimit-* headers and `extensions.cost.rateLimit` of every answer."
)
class RateLimit:
    limit: int = strawberry.field(
        description="The points the caller may spend in a window: its token's or its address's budget."
    )
    used: int = strawberry.field(description="The points spent in this window so far.")
    remaining: int = strawberry.field(description="The points left in this window.")
    reset_at: dt.datetime = strawberry.field(
        description="When the window ends and the budget is whole again (UTC)."
    )

    @classmethod
    def of(cls, usage: Usage) -> RateLimit:
        return cls(
            limit=usage.limit,
            used=usage.used,
            remaining=usage.remaining,
            reset_at=dt.datetime.fromtimestamp(usage.reset, dt.UTC),
        )
