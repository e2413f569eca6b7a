"""Who came before whom at a post: only where the sources say so, never by guessing.

Two tenures are consecutive when the sources number them one after the other (ordinals
n and n+1), or when one ends as the next begins (the end and the start fall in the
same period or on neighbouring days). Tenures that merely come one after the other in
time are not: others may have come between, and a tenure marked `gap_before` says the
sources know that others did.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

from db import models

ONE_DAY = dt.timedelta(days=1)

# How a neighbouring tenure is found: from a tenure and all of its post's tenures.
Finder = Callable[
    [models.HeadOfMission, Sequence[models.HeadOfMission]], models.HeadOfMission | None
]


def consecutive(before: models.HeadOfMission, after: models.HeadOfMission) -> bool:
    """Whether the sources place `after` directly after `before`."""
    if after.gap_before or before.id == after.id:
        return False
    if before.ordinal is not None and after.ordinal is not None:
        return after.ordinal == before.ordinal + 1
    if before.end is None or after.start is None:
        return False
    return (
        before.end.first_day <= after.start.last_day
        and after.start.first_day <= before.end.last_day + ONE_DAY
    )


def predecessor(
    head: models.HeadOfMission, heads: Sequence[models.HeadOfMission]
) -> models.HeadOfMission | None:
    """The tenure the sources place directly before this one at its post; None if unknown."""
    found = [other for other in heads if consecutive(other, head)]
    return found[0] if len(found) == 1 else None


def successor(
    head: models.HeadOfMission, heads: Sequence[models.HeadOfMission]
) -> models.HeadOfMission | None:
    """The tenure the sources place directly after this one at its post; None if unknown."""
    found = [other for other in heads if consecutive(head, other)]
    return found[0] if len(found) == 1 else None
