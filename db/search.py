"""Full-text search: one document per searchable object, ranked, on SQLite and on PostgreSQL.

Each object is one document with three weighted columns: `name` (names and titles),
`body` (summaries, positions) and `extra` (quotes, cities, addresses, places). SQLite
keeps them in an FTS5 table ranked by BM25; PostgreSQL in a table with a generated
tsvector, a GIN index and ts_rank. Both match the same way: every word must appear,
as a word or (for search boxes) as the start of one, accents and case ignored.

User text never reaches either query syntax as such: it is cut into words (letters
and digits only), and the words are put into the query by SQL of our own.

What is found exactly by one of its whole names comes first: `search_index_key` holds each
object's names (db/search_text.whole_names: a country's in every language and those it is
known by, a post's name and city) as keys, words without case or accents, and a search
whose words are one of an object's keys ranks that object above every partial match, a
country above anything else: "japan" gives Japan first. A search box's text that is a
city's name in another language (db/places.py: "Den Haag", "Bruxelles", "Peking") is
also searched for as the name the posts give that city ("The Hague").
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
    case,
    delete,
    exists,
    func,
    insert,
    literal,
    literal_column,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from db.chunks import chunks
from db.kinds import BY_NAME, SEARCHED, Kind
from db.pages import Key
from db.places import city_aliases
from db.search_text import key_of, whole_names

MAX_WORDS = 32
# How much an exact match on a whole name lifts a result: past any partial match's score, and
# a country past any other kind, so that "japan" gives Japan before its embassies.
EXACT = 1000.0
EXACT_COUNTRY = 2000.0
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


# The whole names of every searched object, as keys (`key_of`); a table of its own beside
# the index, the same on both databases.
search_key = Table(
    "search_index_key",
    MetaData(),
    Column("kind", String(20)),
    Column("ref_id", Integer),
    Column("key", Text),
)


def search_key_ddl() -> list[str]:
    """The statements that create the table of whole-name keys (on either database)."""
    return [
        "CREATE TABLE IF NOT EXISTS search_index_key ("
        " kind varchar(20) NOT NULL, ref_id integer NOT NULL, key text NOT NULL,"
        " PRIMARY KEY (kind, ref_id, key))",
        "CREATE INDEX IF NOT EXISTS ix_search_index_key_key ON search_index_key (key)",
    ]


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


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", text)  # letters and digits only


def match_query(
    words_text: str,
    *,
    prefix: bool = False,
    columns: tuple[str, ...] = (),
    alternatives: tuple[str, ...] = (),
) -> SearchWords:
    """The words of a text, to be matched all (as word starts when `prefix`) in some columns,
    or else all the words of one of the alternatives.

    Text with no words at all (punctuation, say) matches nothing.
    """
    words = _words(words_text)
    if len(words) > MAX_WORDS:
        raise SearchTextError(f"has {len(words)} words; at most {MAX_WORDS} are searched")
    others = tuple(" ".join(_words(other)) for other in alternatives)
    return SearchWords(" ".join(words), prefix, columns, others)


class SearchWords:
    """Words to search for; hashable, so criteria holding them can key a DataLoader."""

    def __init__(
        self, words: str, prefix: bool, columns: tuple[str, ...], alternatives: tuple[str, ...] = ()
    ) -> None:
        self.words, self.prefix, self.columns = words, prefix, columns
        self.alternatives = alternatives

    def _key(self) -> tuple[str, bool, tuple[str, ...], tuple[str, ...]]:
        return (self.words, self.prefix, self.columns, self.alternatives)

    def each(self) -> list[SearchWords]:
        """These words, and each alternative as words of its own (ranked by its own words,
        and lifted by a whole name among any of them)."""
        every = (self.words, *self.alternatives)
        return [
            self,
            *(
                SearchWords(other, self.prefix, self.columns, tuple(w for w in every if w != other))
                for other in self.alternatives
            ),
        ]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, SearchWords) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def _exact(self) -> ColumnElement[float]:
        """How much the row is lifted for having the words as one of its whole names."""
        k = search_key.alias("exact_key")
        keys = [key_of(words) for words in (self.words, *self.alternatives)]
        named = exists().where(
            k.c.kind == search_index.c.kind,
            k.c.ref_id == search_index.c.ref_id,
            k.c.key.in_([bindparam(None, key, String) for key in keys]),
        )
        lift = case(
            (search_index.c.kind == "country", literal(EXACT_COUNTRY)), else_=literal(EXACT)
        )
        return case((named, lift), else_=literal(0.0))

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
        """How well the row matches: lower is better, whole names first, names weigh most."""
        return _search_score(*self._arguments()) - self._exact()


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
    """(kind, ref_id, score) of every document that has the words (or an alternative's),
    each once with its best score."""
    each = [
        select(search_index.c.kind, search_index.c.ref_id, words.score().label("score")).where(
            words.matches()
        )
        for words in query.each()
    ]
    if len(each) == 1:
        return each[0]
    found = union_all(*each).subquery()
    return select(found.c.kind, found.c.ref_id, func.min(found.c.score).label("score")).group_by(
        found.c.kind, found.c.ref_id
    )


def matching_ids(query: SearchWords, kind: str) -> Select[tuple[int]]:
    """Ids of the objects of one kind whose documents have the words (or an alternative's)."""
    each = [
        select(search_index.c.ref_id).where(words.matches(), search_index.c.kind == kind)
        for words in query.each()
    ]
    if len(each) == 1:
        return each[0]
    found = union_all(*each).subquery()
    return select(found.c.ref_id)


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
        keys = await _keys(session, kind.name, None)
        K = search_key.c
        held = await session.execute(select(K.ref_id, K.key).where(K.kind == kind.name))
        # Most keys (the countries' names in every language) stay as they were: only the
        # objects whose keys changed are written again.
        changed = {pk for pk, _ in keys ^ {(pk, key) for pk, key in held}}
        for chunk in chunks(sorted(changed)):
            await session.execute(
                delete(search_key).where(K.kind == kind.name, K.ref_id.in_(chunk))
            )
        await _insert_keys(session, kind.name, {(pk, key) for pk, key in keys if pk in changed})


async def _keys(session: AsyncSession, kind: str, ids: list[int] | None) -> set[tuple[int, str]]:
    """The whole-name keys of the objects of a kind (all, or those with these ids)."""
    return {
        (pk, key) for pk, name in await whole_names(session, kind, ids) if (key := key_of(name))
    }


async def _insert_keys(session: AsyncSession, kind: str, keys: set[tuple[int, str]]) -> None:
    if not keys:
        return
    if session.get_bind().dialect.name != "postgresql":
        rows = [{"kind": kind, "ref_id": pk, "key": key} for pk, key in keys]
        await session.execute(insert(search_key), rows)
        return
    # One statement over arrays: many times faster on PostgreSQL than a row at a time.
    pks, texts = zip(*keys, strict=True)
    arrays = (
        bindparam("pks", list(pks), type_=ARRAY(Integer)),
        bindparam("keys", list(texts), type_=ARRAY(Text)),
    )
    await session.execute(
        insert(search_key).from_select(
            ["kind", "ref_id", "key"],
            select(literal(kind), func.unnest(arrays[0]), func.unnest(arrays[1])),
        )
    )


async def reindex(session: AsyncSession, kind: str, ids: list[int]) -> None:
    """Index some objects of one kind afresh, after they were written or deleted."""
    if not ids:
        return
    await session.execute(
        delete(search_index).where(search_index.c.kind == kind, search_index.c.ref_id.in_(ids))
    )
    await session.execute(
        delete(search_key).where(search_key.c.kind == kind, search_key.c.ref_id.in_(ids))
    )
    await session.execute(insert(search_index).from_select(_COLUMNS, _indexed(BY_NAME[kind], ids)))
    await _insert_keys(session, kind, await _keys(session, kind, ids))


def search_words(text: str | None) -> SearchWords | None:
    """The words of a search argument, matched as word starts; blank text means no search.

    SearchTextError when the text cannot be searched for.
    """
    if text is None or not text.strip():
        return None
    return match_query(text, prefix=True, alternatives=city_aliases().get(key_of(text), ()))


def search_page(words: SearchWords | None) -> tuple[Select[Any], list[Key]]:
    """What `search` pages through: "kind:id" of each match, best first (no words: nothing)."""
    ranked = matches(words or match_query("")).subquery()
    ids = select(
        (ranked.c.kind + literal(":") + type_coerce(ranked.c.ref_id, String)).label("key")
    ).select_from(ranked)
    return ids, [Key(ranked.c.score), Key(ranked.c.kind), Key(ranked.c.ref_id)]
