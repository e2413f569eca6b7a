"""Importing a release into the database: all or nothing, merged with the posts already there.

A row is the same post as one already in the database when:
1. the database has a post with the row's Wikidata ID; else
2. a post without a Wikidata ID has the row's sender, host and kind, and either the same
   city (ignoring case) or it is the only such post without an ID and the row is the file's
   only row for that sender, host and kind.

A matched post keeps what it had. The release adds what the post lacks (its Wikidata ID,
coordinates, contacts, opening date, jurisdictions) and keeps its own value of the city
and opening date as a claim beside the other source's, so that neither overwrites the other.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from db import models
from db.base import table_of
from db.models import ClaimRank
from db.partial_date import PartialDate
from db.relation_links import ensure_relations
from db.search import rebuild_search_index
from db.writes.changes import Logged, log_changes, snapshots
from seed.countries import ensure_countries
from seed.datasets import record_dataset
from seed.wikidata.flags import write_flags
from seed.wikidata.posts import Planned, Skip, distinct_name, plan
from seed.wikidata.release import Post, ReleaseError, open_text, parse_release, release_date

ACTOR = "import"
ACTION = "importWikidataMissions"
CREDIT = "Wikidata, via database-of-embassies"


def source_title(release: dt.date) -> str:
    """The title every fact from one release cites: the credit and the release's date."""
    return f"{CREDIT} (release {release.isoformat()})"


def cites_a_release(title: str) -> bool:
    """Whether a source's title is that of a release of this file."""
    return title.startswith(f"{CREDIT} (release ")


def item_url(qid: str) -> str:
    return f"https://www.wikidata.org/wiki/{qid}"


# A post's rows in the link tables: its sources, accreditations, claims and addresses.
Links = tuple[
    list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]
]
# An accreditation's target: (country id, organization id, jurisdiction id), one of them set.
Target3 = tuple[int | None, int | None, int | None]


@dataclass(frozen=True)
class Skipped:
    """A row left out, where it is in the file and why."""

    line: int
    qid: str
    reason: str


@dataclass
class ImportReport:
    """What an import did with each row of the file."""

    rows: int = 0
    created: int = 0
    updated: int = 0
    merged: int = 0
    unchanged: int = 0
    skipped: list[Skipped] = field(default_factory=list)

    def __str__(self) -> str:
        return (
            f"{self.rows} rows read: {self.created} posts created, {self.updated} updated, "
            f"{self.merged} merged with posts already there, {self.unchanged} unchanged, "
            f"{len(self.skipped)} skipped"
        )

    def reasons(self) -> Counter[str]:
        """How many rows were skipped for each kind of reason (the reason up to its first colon)."""
        return Counter(skip.reason.split(":")[0] for skip in self.skipped)

    def write_skipped(self, path: Path) -> None:
        """Every skipped row as a tab-separated line: line number, Wikidata ID, reason."""
        lines = ["line\tqid\treason"]
        lines += [f"{s.line}\t{s.qid}\t{s.reason}" for s in self.skipped]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def read_release(path: Path, release: dt.date | None = None) -> tuple[list[Post], dt.date]:
    """A release's rows and its date (from the argument, else from the file name)."""
    posts = parse_release(open_text(path))
    date = release or release_date(path)
    if date is None:
        raise ReleaseError(
            [f"{path.name}: the file name has no release date; give one with --release-date"]
        )
    return posts, date


async def import_release(
    sessions: async_sessionmaker[AsyncSession], path: Path, release: dt.date | None = None
) -> ImportReport:
    """Import a release file in one transaction; ReleaseError (and nothing written) if it is malformed."""
    posts, date = read_release(path, release)
    async with sessions() as session, session.begin():
        await ensure_countries(session)
        report = await merge_release(session, posts, date)
        await ensure_relations(session)  # the pairs its posts link
        return report


def _unique(posts: Sequence[Post], report: ImportReport) -> list[Post]:
    """The rows whose post no other row also gives; a repeated row is skipped as such."""
    by_qid: dict[str, list[Post]] = defaultdict(list)
    for post in posts:
        by_qid[post.qid].append(post)
    kept: list[Post] = []
    for post in posts:
        same = by_qid[post.qid]
        first = same[0]
        if len(same) == 1:
            kept.append(post)
        elif all(other.text == first.text for other in same):
            if post is first:
                kept.append(post)
            else:
                report.skipped.append(Skipped(post.line, post.qid, f"repeats line {first.line}"))
        else:
            lines = ", ".join(str(other.line) for other in same if other is not post)
            report.skipped.append(
                Skipped(
                    post.line,
                    post.qid,
                    f"conflicting rows: lines {lines} give post {post.qid} with other values, "
                    "and the file does not say which is right",
                )
            )
    return kept


async def merge_release(
    session: AsyncSession, posts: Sequence[Post], release: dt.date
) -> ImportReport:
    """Merge a release's rows into the session's transaction."""
    report = ImportReport(rows=len(posts))
    planned: list[Planned] = []
    for post in _unique(posts, report):
        try:
            planned.append(plan(post))
        except Skip as skip:
            report.skipped.append(Skipped(post.line, post.qid, str(skip)))
    report.skipped.sort(key=lambda skip: skip.line)
    await _ReleaseMerge(session, release, report).run(planned)
    await write_flags(session, planned)  # what is wrong in the release's posts, kept beside them
    await record_dataset(
        session,
        "wikidata-missions",
        title="Diplomatic missions of the world",
        publisher=CREDIT,
        url="https://www.wikidata.org/",
        licence="CC0 1.0",
        version=None,
        released=release,
        cutoff=PartialDate.of(release),
        counts={"posts": report.created + report.merged + report.updated + report.unchanged},
    )
    return report


class _ReleaseMerge:
    """Writes planned posts in bulk: new posts, merged ones and updates, then the change log."""

    def __init__(self, session: AsyncSession, release: dt.date, report: ImportReport) -> None:
        self.session = session
        self.title = source_title(release)
        self.report = report
        self.countries: dict[str, int] = {}
        # The posts this release created, and those it changed with how they were before.
        self.created: list[int] = []
        self.changed: list[int] = []
        # What each non-country jurisdiction is: (organization id, jurisdiction id), one set.
        self.others: dict[str, tuple[int | None, int | None]] = {}

    async def run(self, planned: list[Planned]) -> None:
        rows = await self.session.execute(select(models.Country.code, models.Country.id))
        self.countries = dict(rows.all())
        missions = list(await self.session.scalars(select(models.Mission)))
        by_qid = {m.wikidata: m for m in missions if m.wikidata is not None}
        matches = self._match_without_id(
            [entry for entry in planned if entry.post.qid not in by_qid],
            [m for m in missions if m.wikidata is None],
        )
        await self._load_held()
        sources = await self._sources([entry.post.qid for entry in planned])
        await self._jurisdictions(planned)
        new: list[Planned] = []
        # Each changed post's new links, written once the posts as they were have been read.
        replaced: list[tuple[int, Links]] = []
        added: list[Links] = []
        with self.session.no_autoflush:
            for entry in planned:
                source_id = sources[entry.post.qid]
                if (found := by_qid.get(entry.post.qid)) is not None:
                    if (links := self._update(entry, found, source_id)) is not None:
                        replaced.append((found.id, links))
                elif (found := matches.get(entry.post.qid)) is not None:
                    added.append(self._merge(entry, found, source_id))
                else:
                    new.append(entry)
            before = await snapshots(self.session, "mission", self.changed)
        for mission_id, links in replaced:
            await self._replace(mission_id, links)
        for links in added:
            await self._insert(*links)
        await self._create(new, sources, {m.name for m in missions})
        await self.session.flush()
        after = await snapshots(self.session, "mission", [*self.created, *self.changed])
        changes = [Logged("mission", pk, None, after[pk]) for pk in self.created]
        changes += [Logged("mission", pk, before[pk], after[pk]) for pk in self.changed]
        # On SQLite an import runs in a process of its own, whose announcements no server would hear.
        await log_changes(self.session, ACTOR, ACTION, changes, here=False)
        await rebuild_search_index(self.session)

    async def _load_held(self) -> None:
        """What the posts hold already, told apart by whether a release of this file said it."""
        A, C = models.Accreditation, models.MissionClaim
        self.ours = {
            pk
            for pk in await self.session.scalars(
                select(models.Source.id).where(models.Source.title.like(f"{CREDIT} (release %)"))
            )
        }
        self.held: dict[int, set[Target3]] = defaultdict(set)
        self.our_accreditations: dict[int, list[Target3]] = defaultdict(list)
        for row in await self.session.execute(
            select(A.mission_id, A.country_id, A.organization_id, A.jurisdiction_id, A.source_id)
        ):
            target = (row.country_id, row.organization_id, row.jurisdiction_id)
            if row.source_id in self.ours:
                self.our_accreditations[row.mission_id].append(target)
            else:
                self.held[row.mission_id].add(target)
        self.our_claims: dict[int, dict[str, tuple[str, str | None]]] = defaultdict(dict)
        self.our_preferred: dict[int, set[str]] = defaultdict(set)
        for claim in await self.session.execute(
            select(C.mission_id, C.property, C.value, C.wikidata, C.source_id, C.rank)
        ):
            if claim.source_id in self.ours:
                self.our_claims[claim.mission_id][claim.property] = (claim.value, claim.wikidata)
                if claim.rank is ClaimRank.PREFERRED:
                    self.our_preferred[claim.mission_id].add(claim.property)

    # -- matching

    def _match_without_id(
        self, planned: list[Planned], posts: list[models.Mission]
    ) -> dict[str, models.Mission]:
        """Rows matched to posts without a Wikidata ID by the rule in the module's docstring."""

        def key(sender: int, host: int, kind: models.MissionKind) -> tuple[int, int, Any]:
            return (sender, host, kind)

        rows_by_key: dict[tuple[int, int, Any], list[Planned]] = defaultdict(list)
        for entry in planned:
            rows_by_key[
                key(self.countries[entry.sender], self.countries[entry.host], entry.kind)
            ].append(entry)
        found: dict[str, models.Mission] = {}
        posts_by_key: dict[tuple[int, int, Any], list[models.Mission]] = defaultdict(list)
        for mission in posts:
            posts_by_key[key(mission.country_id, mission.host_country_id, mission.kind)].append(
                mission
            )
        for group_key, missions in posts_by_key.items():
            rows = rows_by_key.get(group_key, [])
            for mission in missions:
                same_city = [
                    entry
                    for entry in rows
                    if entry.post.city
                    and entry.post.city.label.casefold() == mission.city.casefold()
                ]
                if len(same_city) == 1:
                    chosen = same_city[0]
                elif len(missions) == 1 and len(rows) == 1:
                    chosen = rows[0]
                else:
                    continue
                if chosen.post.qid not in found:
                    found[chosen.post.qid] = mission
        return found

    # -- shared rows

    async def _sources(self, qids: Iterable[str]) -> dict[str, int]:
        """The source row of each post's Wikidata item in this release, added where missing."""
        S = models.Source
        table = table_of(models.Source)
        wanted = {item_url(qid): qid for qid in qids}
        rows = await self.session.execute(
            select(S.url, S.id).where(S.title == self.title, S.section.is_(None))
        )
        known = {url: pk for url, pk in rows if url in wanted}
        missing = [url for url in wanted if url not in known]
        if missing:
            # Inserted in one batch, then read back by their unique key: RETURNING with its
            # order kept costs SQLite a statement per row.
            await self.session.execute(
                insert(table),
                [{"title": self.title, "section": None, "url": url} for url in missing],
            )
            rows = await self.session.execute(
                select(S.url, S.id).where(S.title == self.title, S.section.is_(None))
            )
            known = {url: pk for url, pk in rows if url in wanted}
        return {wanted[url]: pk for url, pk in known.items()}

    async def _jurisdictions(self, planned: list[Planned]) -> None:
        """What each jurisdiction that is not a country stands for, by Wikidata ID: an
        organization of the same name where the database has one (the article's European
        Union), else a Jurisdiction row, added where missing."""
        J = models.Jurisdiction
        items = {
            target.other.qid: target.other.label
            for entry in planned
            for target in entry.targets
            if target.other is not None
        }
        named = dict(
            (
                await self.session.execute(select(models.Organization.name, models.Organization.id))
            ).all()
        )
        known = dict((await self.session.execute(select(J.wikidata, J.id))).all())
        missing = [
            {"wikidata": qid, "name": name}
            for qid, name in items.items()
            if qid not in known and name not in named
        ]
        if missing:
            await self.session.execute(insert(table_of(J)), missing)
            known = dict((await self.session.execute(select(J.wikidata, J.id))).all())
        self.others = {
            qid: (named[name], None) if name in named else (None, known[qid])
            for qid, name in items.items()
        }

    # -- posts

    def _facts(self, entry: Planned) -> dict[str, Any]:
        post = entry.post
        return {
            "city_wikidata": post.city.qid if post.city else None,
            "latitude": post.latitude,
            "longitude": post.longitude,
            "website": post.website,
            "email": post.email,
            "phone": post.phone,
            "facebook": post.facebook,
            "twitter": post.twitter,
            "youtube": post.youtube,
        }

    def _accreditations(
        self, entry: Planned, mission_id: int, source_id: int
    ) -> list[dict[str, Any]]:
        """The release's accreditations of a post that another source does not already give."""
        rows = []
        for target in entry.targets:
            organization, jurisdiction = (
                (None, None) if target.other is None else self.others[target.other.qid]
            )
            key: Target3 = (
                None if target.code is None else self.countries[target.code],
                organization,
                jurisdiction,
            )
            if key in self.held[mission_id]:
                continue
            rows.append(
                {
                    "mission_id": mission_id,
                    "country_id": key[0],
                    "organization_id": key[1],
                    "jurisdiction_id": key[2],
                    "start": None,
                    "end": None,
                    "source_id": source_id,
                }
            )
        return rows

    def _claims(
        self, entry: Planned, mission_id: int, source_id: int, preferred: set[str]
    ) -> list[dict[str, Any]]:
        """The release's city and opening date of a post; preferred where the post holds them."""
        post = entry.post
        claims: list[tuple[str, str, str | None]] = []
        if post.city is not None:
            claims.append(("city", post.city.label, post.city.qid))
        if post.creation is not None:
            claims.append(("opened", str(post.creation), None))
        return [
            {
                "mission_id": mission_id,
                "property": name,
                "value": value,
                "wikidata": qid,
                "source_id": source_id,
                "rank": ClaimRank.PREFERRED if name in preferred else ClaimRank.NORMAL,
                "version": 1,
            }
            for name, value, qid in claims
        ]

    async def _create(
        self,
        new: list[Planned],
        sources: dict[str, int],
        names: set[str],
    ) -> None:
        if not new:
            return
        M = table_of(models.Mission)
        values = []
        for entry in new:
            name = distinct_name(entry, names)
            names.add(name)
            values.append(
                {
                    "kind": entry.kind,
                    "name": name,
                    "country_id": self.countries[entry.sender],
                    "host_country_id": self.countries[entry.host],
                    "city": entry.post.city.label if entry.post.city else "",
                    "opened": entry.post.creation,
                    "closed": None,
                    "wikidata": entry.post.qid,
                    **self._facts(entry),
                }
            )
        await self.session.execute(insert(M), values)  # read back by Wikidata ID, as above
        rows = await self.session.execute(
            select(M.c.wikidata, M.c.id).where(M.c.wikidata.is_not(None))
        )
        by_qid = dict(rows.all())
        ids = [by_qid[row["wikidata"]] for row in values]
        links, accreditations, claims, addresses = [], [], [], []
        for entry, mission_id, row in zip(new, ids, values, strict=True):
            source_id = sources[entry.post.qid]
            links.append({"mission_id": mission_id, "source_id": source_id})
            accreditations += self._accreditations(entry, mission_id, source_id)
            claims += self._claims(entry, mission_id, source_id, {"city", "opened"})
            addresses += self._addresses(entry, mission_id, source_id, row["city"])
            self.created.append(mission_id)
        await self._insert(links, accreditations, claims, addresses)
        self.report.created += len(new)

    def _addresses(
        self, entry: Planned, mission_id: int, source_id: int, city: str
    ) -> list[dict[str, Any]]:
        if entry.post.address is None:
            return []
        return [
            {
                "mission_id": mission_id,
                "address": entry.post.address,
                "city": city,
                "start": None,
                "end": None,
                "source_id": source_id,
            }
        ]

    async def _insert(
        self,
        links: list[dict[str, Any]],
        accreditations: list[dict[str, Any]],
        claims: list[dict[str, Any]],
        addresses: list[dict[str, Any]],
    ) -> None:
        for table, rows in (
            (models.mission_source, links),
            (table_of(models.Accreditation), accreditations),
            (table_of(models.MissionClaim), claims),
            (table_of(models.MissionAddress), addresses),
        ):
            if rows:
                await self.session.execute(insert(table), rows)

    def _merge(self, entry: Planned, mission: models.Mission, source_id: int) -> Links:
        """A post the database has from another source: the release adds what it lacks."""
        opened_is_ours = mission.opened is None
        self._assign(entry, mission, city_is_ours=False, opened_is_ours=opened_is_ours)
        accreditations = self._accreditations(entry, mission.id, source_id)
        links = [{"mission_id": mission.id, "source_id": source_id}]
        preferred = {"opened"} if opened_is_ours else set()
        claims = self._claims(entry, mission.id, source_id, preferred)
        self.changed.append(mission.id)
        self.report.merged += 1
        return links, accreditations, claims, []

    def _assign(
        self, entry: Planned, mission: models.Mission, *, city_is_ours: bool, opened_is_ours: bool
    ) -> bool:
        """Give a post what the release says of it; True when anything differed.

        The city and opening date are set only where they are the release's own values, not
        another source's: that source's value stays, and the release's is kept as a claim.
        """
        post = entry.post
        city = post.city.label if post.city else ""
        values: dict[str, Any] = {
            "kind": entry.kind,
            "country_id": self.countries[entry.sender],
            "host_country_id": self.countries[entry.host],
            "wikidata": post.qid,
            **self._facts(entry),
        }
        if city_is_ours:
            values["city"] = city
        elif mission.city.casefold() != city.casefold():
            values["city_wikidata"] = None  # the ID is of the release's city, kept in its claim
        if opened_is_ours:
            values["opened"] = post.creation
        changed = {name: v for name, v in values.items() if getattr(mission, name) != v}
        for name, value in changed.items():
            setattr(mission, name, value)
        return bool(changed)

    def _update(self, entry: Planned, mission: models.Mission, source_id: int) -> Links | None:
        """A post an earlier import brought: what this release says replaces what that one said.

        The links the release gives it, or None when it changes nothing."""
        claims = self.our_claims[mission.id]
        # The post holds the earlier release's value where that value is the preferred one.
        ours = self.our_preferred[mission.id]
        city_is_ours = "city" in ours or (mission.city == "" and "city" not in claims)
        opened_is_ours = "opened" in ours or mission.opened is None
        changed = self._assign(
            entry, mission, city_is_ours=city_is_ours, opened_is_ours=opened_is_ours
        )
        accreditations = self._accreditations(entry, mission.id, source_id)
        preferred = {
            name
            for name, ours in (("city", city_is_ours), ("opened", opened_is_ours))
            if ours and (name != "opened" or entry.post.creation is not None)
        }
        new_claims = self._claims(entry, mission.id, source_id, preferred)
        same_links = sorted(self.our_accreditations[mission.id], key=str) == sorted(
            ((a["country_id"], a["organization_id"], a["jurisdiction_id"]) for a in accreditations),
            key=str,
        ) and claims == {c["property"]: (c["value"], c["wikidata"]) for c in new_claims}
        if not changed and same_links:
            self.report.unchanged += 1
            return None
        self.changed.append(mission.id)
        self.report.updated += 1
        links = [{"mission_id": mission.id, "source_id": source_id}]
        return links, accreditations, new_claims, []

    async def _replace(self, mission_id: int, links: Links) -> None:
        """Put a release's links to a post in place of what earlier releases linked it to."""
        A, C, link = models.Accreditation, models.MissionClaim, models.mission_source
        for column, source in (
            (A.mission_id, A.source_id),
            (C.mission_id, C.source_id),
            (link.c.mission_id, link.c.source_id),
        ):
            await self.session.execute(
                delete(column.table).where(column == mission_id, source.in_(self.ours))
            )
        await self._insert(*links)
