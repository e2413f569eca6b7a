"""Full-text search: one document per searchable object, ranked, on SQLite and on PostgreSQL.

Each object is one document with three weighted columns: `name` (names and titles),
`body` (summaries, positions) and `extra` (quotes, cities, addresses, places). SQLite
keeps them in an FTS5 table ranked by BM25; PostgreSQL in a table with a generated
tsvector, a GIN index and ts_rank. Both match the same way: every word must appear,
as a word or (for search boxes) as the start of one, accents and case ignored.

User text never reaches either query syntax as such: it is cut into words (letters
and digits only), and the words are put into the query by SQL of our own.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import (
    Column,
    ColumnElement,
    Float,
    Integer,
    MetaData,
    Select,
    String,
    Table,
    Text,
    bindparam,
    delete,
    insert,
    literal,
    literal_column,
    select,
    type_coerce,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from db.kinds import BY_NAME, SEARCHED, Kind
from db.pages import Key

MAX_WORDS = 32
_WEIGHTS = {"name": "A", "body": "B", "extra": "C"}

# Kept apart from the models' metadata: each database builds it its own way (below).
search_index = Table(
    "search_index",
    MetaData(),
    Column("kind", String(20)),
    Column("ref_id", Integer),
    Column("name", Text),
    Column("body", Text),
    Column("extra", Text),
)


def search_ddl(dialect: str) -> list[str]:
    """The statements that create the search table on one kind of database."""
    if dialect == "sqlite":
        return [
            "CREATE VIRTUAL TABLE IF NOT EXISTS search_index USING fts5("
            "kind UNINDEXED, ref_id UNINDEXED, name, body, extra,"
            " tokenize = 'unicode61 remove_diacritics 2')"
        ]
    return [
        "CREATE EXTENSION IF NOT EXISTS unaccent",
        # unaccent() is only STABLE; a generated column needs an IMMUTABLE function.
        "CREATE OR REPLACE FUNCTION bilateral_unaccent(text) RETURNS text"
        " LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT"
        " AS $$ SELECT public.unaccent('public.unaccent', $1) $$",
        "CREATE TABLE IF NOT EXISTS search_index ("
        " kind varchar(20) NOT NULL, ref_id integer NOT NULL,"
        " name text, body text, extra text,"
        " document tsvector GENERATED ALWAYS AS ("
        "setweight(to_tsvector('simple', bilateral_unaccent(coalesce(name, ''))), 'A') ||"
        " setweight(to_tsvector('simple', bilateral_unaccent(coalesce(body, ''))), 'B') ||"
        " setweight(to_tsvector('simple', bilateral_unaccent(coalesce(extra, ''))), 'C')) STORED,"
        " PRIMARY KEY (kind, ref_id))",
        "CREATE INDEX IF NOT EXISTS ix_search_index_document ON search_index USING gin (document)",
    ]


def search_drop_ddl(dialect: str) -> list[str]:
    """The statements that remove the search table."""
    drops = ["DROP TABLE IF EXISTS search_index"]
    return (
        drops
        if dialect == "sqlite"
        else [*drops, "DROP FUNCTION IF EXISTS bilateral_unaccent(text)"]
    )


class SearchTextError(ValueError):
    """The search text cannot be searched for: too many words."""


def match_query(
    words_text: str, *, prefix: bool = False, columns: tuple[str, ...] = ()
) -> SearchWords:
    """The words of a text, to be matched all (as word starts when `prefix`) in some columns.

    Text with no words at all (punctuation, say) matches nothing.
    """
    words = re.findall(r"[^\W_]+", words_text)  # letters and digits only
    if len(words) > MAX_WORDS:
        raise SearchTextError(f"has {len(words)} words; at most {MAX_WORDS} are searched")
    return SearchWords(" ".join(words), prefix, columns)


class SearchWords:
    """Words to search for; hashable, so criteria holding them can key a DataLoader."""

    def __init__(self, words: str, prefix: bool, columns: tuple[str, ...]) -> None:
        self.words, self.prefix, self.columns = words, prefix, columns

    def _key(self) -> tuple[str, bool, tuple[str, ...]]:
        return (self.words, self.prefix, self.columns)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SearchWords) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def _arguments(self) -> tuple[Any, ...]:
        return (
            bindparam(None, self.words, String),
            literal_column("1" if self.prefix else "0"),
            literal_column(repr(" ".join(self.columns) or "-")),
        )

    def matches(self) -> ColumnElement[bool]:
        """True where the search table's row has every word."""
        return _search_match(*self._arguments()) if self.words else literal(False)

    def score(self) -> ColumnElement[float]:
        """How well the row matches: lower is better, names weigh most."""
        return _search_score(*self._arguments())


class _search_match(FunctionElement[bool]):
    # No Boolean type: SQLite would compare it with 1, and FTS5 takes MATCH only as it stands.
    name = "search_match"
    inherit_cache = True


class _search_score(FunctionElement[float]):
    name = "search_score"
    type = Float()
    inherit_cache = True


def _parts(
    element: FunctionElement[Any], compiler: SQLCompiler, **kw: Any
) -> tuple[str, bool, list[str]]:
    words, prefix, columns = list(element.clauses)
    columns_text = str(columns.name).strip("'\"")
    return (
        compiler.process(words, **kw),
        str(prefix.name) == "1",
        [] if columns_text == "-" else columns_text.split(),
    )


def _fts5_query(element: FunctionElement[Any], compiler: SQLCompiler, **kw: Any) -> str:
    words, prefix, columns = _parts(element, compiler, **kw)
    star = "*" if prefix else ""
    # Each word quoted as an FTS5 string (words hold no quotes), all of them required.
    query = f"""('"' || replace({words}, ' ', '"{star} "') || '"{star}')"""
    if columns:
        query = f"('{{{' '.join(columns)}}} : (' || {query} || ')')"
    return query


def _tsquery(element: FunctionElement[Any], compiler: SQLCompiler, **kw: Any) -> str:
    words, prefix, columns = _parts(element, compiler, **kw)
    # plainto_tsquery never fails on odd input; its lexemes then get the prefix and weight marks.
    query = f"plainto_tsquery('simple', bilateral_unaccent({words}))"
    marks = ("*" if prefix else "") + "".join(_WEIGHTS[column] for column in columns)
    if not marks:
        return query
    lexeme, marked = "'''([^'']*)'''", "'''\\1'':" + marks + "'"
    return f"CAST(regexp_replace(CAST({query} AS text), {lexeme}, {marked}, 'g') AS tsquery)"


@compiles(_search_match, "sqlite")
def _match_sqlite(element: _search_match, compiler: SQLCompiler, **kw: Any) -> str:
    return f"(search_index MATCH {_fts5_query(element, compiler, **kw)})"


@compiles(_search_match, "postgresql")
def _match_postgresql(element: _search_match, compiler: SQLCompiler, **kw: Any) -> str:
    return f"(search_index.document @@ {_tsquery(element, compiler, **kw)})"


@compiles(_search_score, "sqlite")
def _score_sqlite(element: _search_score, compiler: SQLCompiler, **kw: Any) -> str:
    return "bm25(search_index, 0.0, 0.0, 10.0, 4.0, 1.0)"


@compiles(_search_score, "postgresql")
def _score_postgresql(element: _search_score, compiler: SQLCompiler, **kw: Any) -> str:
    # Normalization 1 divides by the log of the length, so that short documents (a name) rank
    # above long ones mentioning the same words, as BM25 has it on SQLite.
    # ts_rank gives a real; as a double, the same value reaches Python and a cursor built in SQL.
    rank = f"ts_rank(search_index.document, {_tsquery(element, compiler, **kw)}, 1)"
    return f"-CAST({rank} AS double precision)"


def matches(query: SearchWords) -> Select[tuple[str, int, float]]:
    """(kind, ref_id, score) of every document that has the words."""
    return select(search_index.c.kind, search_index.c.ref_id, query.score().label("score")).where(
        query.matches()
    )


def matching_ids(query: SearchWords, kind: str) -> Select[tuple[int]]:
    """Ids of the objects of one kind whose documents have the words."""
    return select(search_index.c.ref_id).where(query.matches(), search_index.c.kind == kind)


_COLUMNS = ["kind", "ref_id", "name", "body", "extra"]


def _indexed(kind: Kind, ids: list[int] | None = None) -> Any:
    """The search index's rows for the objects of one kind (those with these ids, if given)."""
    assert kind.search_text is not None
    text = kind.search_text()
    if ids is not None:
        text = text.where(text.selected_columns[0].in_(ids))
    return text.with_only_columns(literal(kind.name), *text.selected_columns)


async def rebuild_search_index(session: AsyncSession) -> None:
    """Index every searchable object afresh."""
    await session.execute(delete(search_index))
    for kind in SEARCHED:
        await session.execute(insert(search_index).from_select(_COLUMNS, _indexed(kind)))


async def reindex(session: AsyncSession, kind: str, ids: list[int]) -> None:
    """Index some objects of one kind afresh, after they were written or deleted."""
    if not ids:
        return
    await session.execute(
        delete(search_index).where(search_index.c.kind == kind, search_index.c.ref_id.in_(ids))
    )
    await session.execute(insert(search_index).from_select(_COLUMNS, _indexed(BY_NAME[kind], ids)))


def search_words(text: str | None) -> SearchWords | None:
    """The words of a search argument, matched as word starts; blank text means no search.

    SearchTextError when the text cannot be searched for.
    """
    if text is None or not text.strip():
        return None
    return match_query(text, prefix=True)


def search_page(words: SearchWords | None) -> tuple[Select[Any], list[Key]]:
    """What `search` pages through: "kind:id" of each match, best first (no words: nothing)."""
    ranked = matches(words or match_query("")).subquery()
    ids = select(
        (ranked.c.kind + literal(":") + type_coerce(ranked.c.ref_id, String)).label("key")
    ).select_from(ranked)
    return ids, [Key(ranked.c.score), Key(ranked.c.kind), Key(ranked.c.ref_id)]
