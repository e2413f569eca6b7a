"""Full-text search: an FTS5 index of every searchable object, ranked by BM25.

Each object is one document with three weighted columns: `name` (names and titles),
`body` (summaries) and `extra` (quotes, cities, addresses, places, positions).
User text never reaches FTS5's query syntax: it is cut into words, each quoted.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import (
    DDL,
    ColumnElement,
    Select,
    column,
    event,
    false,
    func,
    literal_column,
    select,
    table,
    text,
)
from sqlalchemy.ext.asyncio import AsyncSession

from db.base import Base

MAX_WORDS = 32

search_index = table("search_index", column("kind"), column("ref_id"))
_index: ColumnElement[Any] = literal_column("search_index")

event.listen(
    Base.metadata,
    "after_create",
    DDL(  # type: ignore[no-untyped-call]
        "CREATE VIRTUAL TABLE IF NOT EXISTS search_index USING fts5("
        "kind UNINDEXED, ref_id UNINDEXED, name, body, extra,"
        " tokenize = 'unicode61 remove_diacritics 2')"
    ).execute_if(dialect="sqlite"),
)
event.listen(
    Base.metadata,
    "before_drop",
    DDL("DROP TABLE IF EXISTS search_index").execute_if(  # type: ignore[no-untyped-call]
        dialect="sqlite"
    ),
)


class SearchTextError(ValueError):
    """The search text cannot be searched for: no words, or too many."""


def match_query(words_text: str, *, prefix: bool, columns: tuple[str, ...] = ()) -> str:
    """An FTS5 query requiring every word of the text (as a word prefix when `prefix`).

    Text with no words at all (punctuation, say) gives the empty query, which matches nothing.
    """
    words = re.findall(r"\w+", words_text)
    if not words:
        return ""
    if len(words) > MAX_WORDS:
        raise SearchTextError(f"has {len(words)} words; at most {MAX_WORDS} are searched")
    star = "*" if prefix else ""
    terms = " ".join(f'"{word}"{star}' for word in words)
    return f"{{{' '.join(columns)}}} : ({terms})" if columns else terms


def score() -> ColumnElement[float]:
    """BM25 relevance of the current match, lower is better; names weigh most."""
    return func.bm25(_index, 0.0, 0.0, 10.0, 4.0, 1.0)


def matches(query: str, kinds: tuple[str, ...] = ()) -> Select[tuple[str, int, float]]:
    """(kind, ref_id, score) of every document matching an FTS5 query built by match_query."""
    statement = select(search_index.c.kind, search_index.c.ref_id, score().label("score")).where(
        _match(query)
    )
    if kinds:
        statement = statement.where(search_index.c.kind.in_(kinds))
    return statement


def matching_ids(query: str, kind: str) -> Select[tuple[int]]:
    """Ids of the objects of one kind whose documents match the query."""
    return select(search_index.c.ref_id).where(_match(query), search_index.c.kind == kind)


def _match(query: str) -> ColumnElement[bool]:
    return _index.op("MATCH")(query) if query else false()


# How each kind of object becomes a document: its id column and the SELECT that builds it.
_DOCUMENTS: dict[str, tuple[str, str]] = {
    "country": ("id", "SELECT 'country', id, name, code || ' ' || alpha3, '' FROM country"),
    "mission": (
        "m.id",
        """SELECT 'mission', m.id, m.name, m.city,
                  coalesce((SELECT group_concat(a.address || ' ' || a.city, ' ')
                            FROM mission_address a WHERE a.mission_id = m.id), '')
           FROM mission m""",
    ),
    "person": (
        "p.id",
        """SELECT 'person', p.id, p.name,
                  coalesce((SELECT group_concat(title, ' ') FROM position WHERE person_id = p.id), ''),
                  coalesce((SELECT group_concat(text, ' ') FROM quote WHERE speaker_id = p.id), '')
           FROM person p""",
    ),
    "organization": ("id", "SELECT 'organization', id, name, '', '' FROM organization"),
    "event": (
        "e.id",
        """SELECT 'event', e.id, e.title, e.summary,
                  coalesce(e.place_name, '') || ' ' ||
                  coalesce((SELECT group_concat(text, ' ') FROM quote WHERE event_id = e.id), '')
           FROM event e""",
    ),
}
_INSERT = "INSERT INTO search_index (kind, ref_id, name, body, extra) "


async def rebuild_search_index(session: AsyncSession) -> None:
    """Index every searchable object afresh."""
    await session.execute(text("DELETE FROM search_index"))
    for _, statement in _DOCUMENTS.values():
        await session.execute(text(_INSERT + statement))


async def reindex(session: AsyncSession, kind: str, ids: list[int]) -> None:
    """Index some objects of one kind afresh, after they were written or deleted."""
    if not ids:
        return
    marks = ", ".join(str(int(pk)) for pk in ids)  # ints only: safe to inline
    await session.execute(
        text(f"DELETE FROM search_index WHERE kind = :kind AND ref_id IN ({marks})"), {"kind": kind}
    )
    id_column, statement = _DOCUMENTS[kind]
    await session.execute(text(f"{_INSERT}{statement} WHERE {id_column} IN ({marks})"))
