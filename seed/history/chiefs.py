"""Importing pocom's chiefs of mission: US posts, people and tenures, in one transaction.

Each tenure heads the US post for its territory: the post an earlier import of this
dataset made or adopted (found by the Office's id of the territory, `Mission.historianId`);
else the one US embassy the database has in that country (the world's posts from Wikidata,
or gsh's US posts; of several, the one still open: merged, not duplicated); else a new post. A territory the source keeps apart from today's
country (czechoslovakia) maps to its own state (CSHH) through the territory crosswalk, so
its envoys head a post there. Representatives to organizations head the US mission to that
organization (ORGANIZATIONS below, a reviewed table).

Tenures, people and posts are found again by the source's own ids, so importing a release
twice changes nothing and a newer one updates what changed. Tenures are written by their one
writer (`db.writes.missions.write_heads`, keyed by pocom's id in source_record), with an
import's policy: a faulty tenure is kept and flagged. A tenure with no end is not
ongoing: it covers dates up to the release's cutoff (`until`), and the next tenure's start
ends it before that.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db import models
from db.base import table_of
from db.models import MissionKind, OrganizationKind, TenureEnd
from db.names import post_name
from db.partial_date import PartialDate
from db.search import rebuild_search_index
from db.writes.actors import PersonRecord, write_people
from db.writes.edit import Edit, Policy, SourceSpec
from db.writes.missions import HeadRecord, delete_heads, write_heads
from seed.datasets import record_dataset
from seed.history.archive import Archive, parse_xml
from seed.history.pocom import Pocom, PocomError, Tenure, end_kind, read_pocom
from seed.history.provenance import ACTOR, LICENCE, PUBLISHER, Provenance
from seed.history.report import ImportReport, Skip
from seed.history.territories import country_of, crosswalk

ACTION = "importChiefsOfMission"
ORIGIN = "pocom"  # the origin its rows' keys are recorded under (source_record)
TITLE = "Principal Officers & Chiefs of Mission"
REPOSITORY = "https://github.com/HistoryAtState/pocom"
SENDER = "US"

# Each US mission to an organization: the organization, the country the mission is in, its
# city. From the Office's own names of the missions (missions-orgs/*.xml).
ORGANIZATIONS: dict[str, tuple[str, str, str]] = {
    "representative-to-asean": ("Association of Southeast Asian Nations", "ID", "Jakarta"),
    "representative-to-au": ("African Union", "ET", "Addis Ababa"),
    "representative-to-eu": ("European Union", "BE", "Brussels"),
    "representative-to-iaea": ("International Atomic Energy Agency", "AT", "Vienna"),
    "representative-to-icao": ("International Civil Aviation Organization", "CA", "Montreal"),
    "representative-to-nato": ("North Atlantic Treaty Organization", "BE", "Brussels"),
    "representative-to-oas": ("Organization of American States", "US", "Washington"),
    "representative-to-oecd": (
        "Organisation for Economic Co-operation and Development",
        "FR",
        "Paris",
    ),
    "representative-to-osce": (
        "Organization for Security and Co-operation in Europe",
        "AT",
        "Vienna",
    ),
    "representative-to-un": ("United Nations", "US", "New York"),
    "representative-to-unafa": ("United Nations Agencies for Food and Agriculture", "IT", "Rome"),
    "representative-to-unesco": (
        "United Nations Educational, Scientific and Cultural Organization",
        "FR",
        "Paris",
    ),
    "representative-to-unido": (
        "United Nations Industrial Development Organization",
        "AT",
        "Vienna",
    ),
    "representative-to-usoarn": ("U.S. Office for Arms Reduction Negotiations", "CH", "Geneva"),
    "representative-uneo": ("United Nations Office at Geneva", "CH", "Geneva"),
    "representative-unvo": ("United Nations Office at Vienna", "AT", "Vienna"),
}


# The states a note says a head was commissioned or accredited to that are former states of
# the crosswalk, by the note's exact words (reviewed against every note of pocom 44d2226df6b2);
# a name that is not here ("Central America", "the Federation of Malaya") links nothing and
# stays in the note.
COMMISSIONED: dict[str, str] = {
    "prussia": "XPRU",
    "austria-hungary": "XAHU",
    "the united arab republic": "XUAR",
    "the union of soviet socialist republics": "SUHH",
    "sardinia (capital at turin)": "XSAR",
    "the papal states": "XPAP",
    "the pontifical states": "XPAP",
    "serbia and montenegro": "CSXX",
    "the federal republic of yugoslavia": "YUCS",
    "the federation of the centre of america": "XCAF",
    "the republic of central america": "XCAF",
}
_COMMISSIONED = re.compile(
    r"(?:[Cc]ommissioned|[Aa]ccredited) to (?P<state>[^.;,]+?)(?: on\b|[.;,]|$)"
)


def kind_of_title(title: str) -> MissionKind | None:
    """The kind of post a head's title implies; None where it says nothing (an interim chargé,
    an agent): the post stays what it was. Ambassadors head embassies; envoys, ministers and
    chargés d'affaires en titre head legations."""
    folded = title.casefold()
    if "ambassador" in folded:
        return MissionKind.EMBASSY
    if "interim" in folded or "pro tem" in folded:
        return None
    if re.search(r"envoy|minister|chargé d.affaires|charge d.affaires", folded):
        return MissionKind.LEGATION
    return None


def folded(text: str) -> str:
    """Text without accents or case, as names are compared."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@dataclass
class ChiefsReport(ImportReport):
    """What an import did with each tenure of the release, and with posts and people."""

    posts: Counter[str] = field(default_factory=Counter)
    people: Counter[str] = field(default_factory=Counter)

    def __str__(self) -> str:
        return f"{self.counts('tenures')}; posts {dict(self.posts)}; people {dict(self.people)}"


@dataclass(frozen=True)
class Release:
    """Where a release came from: its commit and date, from the archive's name or manifest."""

    version: str | None
    released: Any  # dt.date | None


def _unmapped(pocom: Pocom) -> list[str]:
    """Each territory id the release uses that maps to no country, with the reason."""
    used = {t.post for t in pocom.tenures if not t.organization}
    used |= {t.contemporary for t in pocom.tenures if t.contemporary}
    used |= {c.resident_territory for c in pocom.concurrent if c.resident_territory}
    problems = []
    for territory in sorted(used):
        known = crosswalk().get(territory)
        if known is None or known.country is None:
            reason = "not in the reviewed table" if known is None else known.note
            problems.append(f"territory {territory!r} maps to no country: {reason}")
    return problems


async def merge_chiefs(session: AsyncSession, pocom: Pocom, release: Release) -> ChiefsReport:
    """Merge a read release into the session's transaction (PocomError, and nothing merged,
    where it names a territory that maps to no country)."""
    unmapped = _unmapped(pocom)
    if unmapped:
        raise PocomError(unmapped)
    report = ChiefsReport(rows=pocom.rows, skipped=list(pocom.skipped), notices=list(pocom.notices))
    await _ChiefsMerge(session, pocom, release, report).run()
    return report


def page_of_post(territory: str, organization: bool) -> str:
    """A post's list of chiefs on history.state.gov."""
    if organization:
        return f"https://history.state.gov/departmenthistory/people/principalofficers/{territory}"
    return f"https://history.state.gov/departmenthistory/people/chiefsofmission/{territory}"


class _ChiefsMerge:
    """Merges one pocom release: its posts, people, tenures, kinds and coverage."""

    def __init__(
        self,
        session: AsyncSession,
        pocom: Pocom,
        release: Release,
        report: ChiefsReport,
    ) -> None:
        self.session = session
        self.pocom = pocom
        self.release = release
        self.report = report
        title = f"{PUBLISHER}: {TITLE}" + (
            f" (pocom {release.version[:8]})" if release.version else ""
        )
        self.provenance = Provenance(session, title, ACTION)

    async def run(self) -> None:
        rows = await self.session.execute(select(models.Country.code, models.Country.id))
        self.countries: dict[str, int] = dict(rows.all())
        tenures = self._placeable()
        posts = await self._posts(tenures)
        people = await self._people({t.person_id for t in tenures})
        await self._heads(tenures, posts, people)
        await self._kinds(tenures, posts)
        await self._coverage(tenures, posts)
        await self.provenance.write_log()
        await self._dataset()
        await rebuild_search_index(self.session)

    def _country(self, territory: str) -> int | None:
        code = country_of(territory) if territory else None
        return None if code is None else self.countries.get(code)

    def _commissioned_to(self, note: str) -> int | None:
        """The former state a note says the head was commissioned to, where COMMISSIONED
        knows its words exactly ("Commissioned to Prussia")."""
        found = _COMMISSIONED.search(" ".join(note.split()))
        code = COMMISSIONED.get(found["state"].casefold()) if found else None
        return None if code is None else self.countries.get(code)

    def _placeable(self) -> list[Tenure]:
        """The tenures whose post is known: every country's, and each organization's the
        reviewed table names; the rest are skipped, each with its reason."""
        kept = []
        for tenure in self.pocom.tenures:
            if tenure.organization and tenure.post not in ORGANIZATIONS:
                self.report.skipped.append(
                    Skip(
                        tenure.path,
                        tenure.record_id,
                        f"organization {tenure.post!r} is not in the reviewed table",
                    )
                )
                continue
            kept.append(tenure)
        return kept

    # -- posts

    async def _posts(self, tenures: list[Tenure]) -> dict[str, int]:
        """The US post of each territory or organization the tenures are under, by its id."""
        M = models.Mission
        us = self.countries[SENDER]
        wanted = dict.fromkeys(t.post for t in tenures)
        organizations = {t.post for t in tenures if t.organization}
        rows = await self.session.execute(
            select(M.historian_id, M.id).where(M.historian_id.in_(list(wanted)))
        )
        found: dict[str, int] = dict(rows.all())  # type: ignore[arg-type]
        # The posts it may adopt (an embassy without the Office's id) or add to (its own).
        ours = select(M.id).where(
            M.country_id == us,
            M.historian_id.in_(list(wanted))
            | ((M.kind == MissionKind.EMBASSY) & M.historian_id.is_(None)),
        )
        await self.provenance.watch("mission", list(await self.session.scalars(ours)))
        embassies: dict[int, list[models.Mission]] = defaultdict(list)
        for mission in await self.session.scalars(
            select(M).where(
                M.country_id == us, M.kind == MissionKind.EMBASSY, M.historian_id.is_(None)
            )
        ):
            embassies[mission.host_country_id].append(mission)
        latest_title = {t.post: self.pocom.title(t) for t in tenures}
        sources = await self.provenance.sources(
            [(None, page_of_post(p, p in organizations)) for p in wanted]
        )
        for post in wanted:
            if post in found:
                self.report.posts["unchanged"] += 1
                continue
            organization = post in organizations
            source_id = sources[(None, page_of_post(post, organization))]
            if organization:
                found[post] = await self._organization_post(post, source_id)
                continue
            host = self._country(post)
            assert host is not None
            candidates = embassies.get(host, [])
            if len(candidates) > 1:  # gsh's closed embassies too (Bonn): the one still open
                candidates = [mission for mission in candidates if mission.closed is None]
            if len(candidates) == 1:
                mission = candidates[0]
                mission.historian_id = post
                await self.session.flush()
                await self.session.execute(
                    insert(models.mission_source).values(mission_id=mission.id, source_id=source_id)
                )
                self.report.posts["merged"] += 1
                found[post] = mission.id
                continue
            kind = kind_of_title(latest_title[post]) or MissionKind.EMBASSY
            name = post_name(kind, SENDER, str(country_of(post)), "")
            found[post] = await self._new_post(post, kind, name, host, "", source_id)
            await self.session.execute(
                insert(table_of(models.Accreditation)).values(
                    mission_id=found[post], country_id=host, source_id=source_id
                )
            )
        return found

    async def _new_post(
        self, post: str, kind: MissionKind, name: str, host: int, city: str, source_id: int
    ) -> int:
        M = models.Mission
        taken = await self.session.scalar(select(M.id).where(M.name == name))
        if taken is not None:
            name = f"{name} ({post})"
        result = await self.session.execute(
            insert(table_of(M)).values(
                kind=kind,
                name=name,
                country_id=self.countries[SENDER],
                host_country_id=host,
                city=city,
                historian_id=post,
            )
        )
        pk = int(result.inserted_primary_key[0])  # type: ignore[attr-defined]
        await self.session.execute(
            insert(models.mission_source).values(mission_id=pk, source_id=source_id)
        )
        self.provenance.created("mission", pk)
        self.report.posts["created"] += 1
        return pk

    async def _organization_post(self, post: str, source_id: int) -> int:
        Org = models.Organization
        name, host, city = ORGANIZATIONS[post]
        organization = await self.session.scalar(select(Org.id).where(Org.name == name))
        if organization is None:
            result = await self.session.execute(
                insert(table_of(Org)).values(
                    name=name, kind=OrganizationKind.INTERNATIONAL_ORGANIZATION, source_id=source_id
                )
            )
            organization = int(result.inserted_primary_key[0])  # type: ignore[attr-defined]
        pk = await self._new_post(
            post,
            MissionKind.PERMANENT_MISSION,
            f"United States Mission to the {name}",
            self.countries[host],
            city,
            source_id,
        )
        await self.session.execute(
            insert(table_of(models.Accreditation)).values(
                mission_id=pk, organization_id=organization, source_id=source_id
            )
        )
        return pk

    # -- people

    async def _people(self, wanted: set[str]) -> dict[str, int]:
        """The person of each pocom person id, through the people's writer: found by that id,
        else by name (merged, where the name is one person's in the release and its person
        has no id of the Office), else new; a name another has is told apart by the years."""
        records = [self.pocom.people[pid] for pid in sorted(wanted)]
        names = Counter(record.name for record in records)
        people = []
        for record in records:
            apart = f"{record.name} ({record.birth or '?'}–{record.death or ''})"
            twice = names[record.name] > 1
            people.append(
                PersonRecord(
                    apart if twice else record.name,
                    sources=[SourceSpec(self.provenance.title, None, record.url)],
                    historian_id=record.id,
                    born=record.birth,
                    died=record.death,
                    career_type=record.career_type or None,
                    by_name=not twice,
                    told_apart=apart,
                )
            )
        edit = Edit(self.session, ACTOR, ACTION, Policy.FLAG, live=False)
        written = await write_people(edit, people)
        merged = len(written.adopted)
        counts = {
            "created": written.created,
            "merged": merged,
            "updated": written.updated - merged,
            "unchanged": written.unchanged,
        }
        self.report.people.update({what: n for what, n in counts.items() if n})
        return {record.id: pk for record, pk in zip(records, written.ids, strict=True)}

    # -- tenures

    def _residences(self, hosts: Mapping[str, int]) -> dict[str, int]:
        """Where each head of a concurrent appointment lived, by tenure key, where not the host."""
        resident: dict[str, int] = {}
        for group in self.pocom.concurrent:
            country = self._country(group.resident_territory)
            if country is None:
                continue
            for chief in group.chief_ids:
                if chief in hosts and hosts[chief] != country:
                    resident[chief] = country
        return resident

    async def _heads(
        self, tenures: list[Tenure], posts: dict[str, int], people: dict[str, int]
    ) -> None:
        """Write each tenure through the tenures' writer (keyed by pocom's id for it), then
        remove those the release withdrew."""
        hosts_of_post = dict(
            (
                await self.session.execute(
                    select(models.Mission.id, models.Mission.host_country_id)
                )
            ).all()
        )
        hosts = {t.key: hosts_of_post[posts[t.post]] for t in tenures}
        resident = self._residences(hosts)
        cutoff = self.pocom.cutoff
        records = []
        for tenure in tenures:
            accredited = self._country(tenure.contemporary)
            if accredited == hosts[tenure.key]:
                accredited = self._commissioned_to(tenure.note)
            page = page_of_post(tenure.post, tenure.organization)
            records.append(
                HeadRecord(
                    mission_id=posts[tenure.post],
                    person_id=people[tenure.person_id],
                    title=self.pocom.title(tenure),
                    sources=[SourceSpec(self.provenance.title, tenure.key, page)],
                    start=tenure.started.date,
                    end=tenure.ended.date,
                    held_on=_held_on(tenure),
                    appointed=tenure.appointed.date,
                    arrived=tenure.arrived.date,
                    start_note=tenure.started.note or None,
                    end_note=tenure.ended.note or None,
                    end_kind=end_kind(tenure.ended.note),
                    note=tenure.note or None,
                    accredited_to_id=None if accredited == hosts[tenure.key] else accredited,
                    resident_in_id=resident.get(tenure.key),
                    until=cutoff if tenure.ended.date is None else None,
                    historian_id=tenure.key,
                    key=tenure.key,
                )
            )
        edit = Edit(self.session, ACTOR, ACTION, Policy.FLAG, live=False)
        written = await write_heads(edit, records, ORIGIN)
        # What the writer flagged, unless the reader noticed it already (dates out of order).
        noticed = {n.record_id for n in self.report.notices if n.reason.startswith("dates out")}
        for index, problem in edit.flagged:
            tenure = tenures[index]
            if problem.field != ("end",) or tenure.record_id not in noticed:
                self.report.notices.append(Skip(tenure.path, tenure.record_id, problem.message))
        self.report.created += written.created
        self.report.updated += written.updated
        self.report.unchanged += written.unchanged
        await self._withdrawn(edit, tenures, set(posts.values()))

    async def _withdrawn(self, edit: Edit, tenures: list[Tenure], posts: set[int]) -> None:
        """Remove the tenures an earlier release gave on a post this release lists that it no
        longer gives: the source withdrew them (a post it does not list is left alone, so a
        partial release removes nothing elsewhere). Each is logged with what it was."""
        H, R = models.HeadOfMission, models.Record
        kept = {tenure.key for tenure in tenures}
        rows = await self.session.execute(
            select(R.key, H.id)
            .join(H, H.id == R.ref_id)
            .where(R.origin == ORIGIN, R.kind == "head_of_mission", H.mission_id.in_(posts))
        )
        gone = {key: pk for key, pk in rows if key not in kept}
        if not gone:
            return
        await delete_heads(edit, list(gone.values()))
        for key in gone:
            self.report.notices.append(Skip("", key, "withdrawn: not in this release; removed"))
        self.report.removed += len(gone)

    # -- what a resident post covered

    async def _coverage(self, tenures: list[Tenure], posts: dict[str, int]) -> None:
        """A concurrent appointment made its head's resident post cover the other countries
        the head was accredited to, while the head was: an accreditation of the resident
        post to each, from that tenure's start to its end, citing the appointment. Written
        where missing and removed where a release no longer gives it."""
        A, S, M = models.Accreditation, models.Source, models.Mission
        by_key = {t.key: t for t in tenures if not t.organization}
        rows = await self.session.execute(
            select(M.id, M.host_country_id).where(M.id.in_(set(posts.values())))
        )
        host_of: dict[int, int] = dict(rows.all())
        post_in: dict[int, int] = {}  # a country's US post (pocom's), by the country
        for listed in by_key.values():
            post_in.setdefault(host_of[posts[listed.post]], posts[listed.post])
        wanted: dict[tuple[Any, ...], tuple[str, str]] = {}
        for group in self.pocom.concurrent:
            resident = self._country(group.resident_territory)
            mission = post_in.get(resident) if resident is not None else None
            for chief in group.chief_ids:
                tenure = by_key.get(chief)
                if mission is None or tenure is None:
                    continue
                country = host_of[posts[tenure.post]]
                if country != resident:
                    place = (mission, country, tenure.started.date, tenure.ended.date)
                    page = page_of_post(group.resident_territory, False)
                    wanted[place] = (f"concurrent/{group.id}", page)
        # In a stable order, so that the sources are numbered alike at every import.
        sources = await self.provenance.sources(list(dict.fromkeys(wanted.values())))
        held = await self.session.execute(
            select(A.id, A.mission_id, A.country_id, A.start, A.end)
            .join(S, S.id == A.source_id)
            .where(S.title == self.provenance.title, S.section.startswith("concurrent/"))
        )
        existing = {(m, c, start, end): pk for pk, m, c, start, end in held}
        gone = [pk for place, pk in existing.items() if place not in wanted]
        if gone:
            await self.session.execute(delete(A).where(A.id.in_(gone)))
        new = [
            {
                "mission_id": mission,
                "country_id": country,
                "from": start,  # the table's column names: a Core insert
                "to": end,
                "source_id": sources[wanted[(mission, country, start, end)]],
            }
            for mission, country, start, end in wanted
            if (mission, country, start, end) not in existing
        ]
        if new:
            await self.session.execute(insert(table_of(A)), new)

    # -- a post's kind through time

    async def _kinds(self, tenures: list[Tenure], posts: dict[str, int]) -> None:
        """A post's kinds from its heads' titles: each run of one kind, from the first head's
        start to the start of the first head of the next kind. Recomputed at every import."""
        K = models.MissionKindPeriod
        ids = sorted(set(posts.values()))
        sources = await self.provenance.sources(
            [(None, page_of_post(t.post, t.organization)) for t in tenures]
        )
        await self.session.execute(
            delete(K).where(K.mission_id.in_(ids), K.source_id.in_(list(sources.values())))
        )
        by_post: dict[str, list[Tenure]] = defaultdict(list)
        for tenure in tenures:
            if not tenure.organization and tenure.started.date is not None:
                by_post[tenure.post].append(tenure)
        rows: list[dict[str, Any]] = []
        for post, heads in by_post.items():
            heads.sort(key=lambda t: t.started.date.first_day)  # type: ignore[union-attr]
            runs: list[tuple[MissionKind, PartialDate]] = []
            for tenure in heads:
                title = self.pocom.title(tenure)
                kind = kind_of_title(title)
                if kind is MissionKind.LEGATION and runs and "minister" not in title.casefold():
                    kind = None  # a chargé d'affaires en titre does not make an embassy a legation
                if kind is not None and (not runs or runs[-1][0] is not kind):
                    assert tenure.started.date is not None
                    runs.append((kind, tenure.started.date))
            for index, (kind, start) in enumerate(runs):
                end = runs[index + 1][1] if index + 1 < len(runs) else None
                rows.append(
                    {
                        "mission_id": posts[post],
                        "kind": kind,
                        "from": start,  # the table's column names: a Core insert
                        "to": end,
                        "source_id": sources[(None, page_of_post(post, False))],
                    }
                )
            if runs and self.report.posts["created"]:
                # A post this dataset made is of the kind its latest head says.
                await self.session.execute(
                    update(models.Mission)
                    .where(models.Mission.id == posts[post], models.Mission.wikidata.is_(None))
                    .values(kind=runs[-1][0])
                )
        if rows:
            await self.session.execute(insert(table_of(K)), rows)

    async def _dataset(self) -> None:
        await record_dataset(
            self.session,
            "pocom",
            title=TITLE,
            publisher=PUBLISHER,
            url=REPOSITORY,
            licence=LICENCE,
            version=self.release.version,
            released=self.release.released,
            cutoff=self.pocom.cutoff,
            counts={
                "tenures": len(self.pocom.tenures),
                "people": len(self.pocom.people),
                "posts": len({t.post for t in self.pocom.tenures}),
                "skipped": len(self.report.skipped),
            },
        )


# Ends that are acts of a head at post: the day of one is a day the head was there.
_AT_POST = {
    TenureEnd.LEFT_POST,
    TenureEnd.PRESENTED_RECALL,
    TenureEnd.RECALL_BY_NOTE,
    TenureEnd.RELINQUISHED_CHARGE,
    TenureEnd.FAREWELL_AUDIENCE,
    TenureEnd.DIED_AT_POST,
}


def _held_on(tenure: Tenure) -> PartialDate | None:
    """For a tenure the source gives no start: the day it ended, where that end was an act
    at post ("Left post on"), the one day the source vouches the head was there. Not the
    appointment, which says nothing of being at post; nothing where the end says nothing."""
    if tenure.started.date is not None or end_kind(tenure.ended.note) not in _AT_POST:
        return None
    return tenure.ended.date


def read_chiefs(archive: Archive) -> tuple[Pocom, Release]:
    """A pocom archive's release, read and checked (PocomError if it cannot be imported)."""
    return read_pocom(archive.files, parse_xml), Release(archive.commit, None)


async def import_chiefs(session: AsyncSession, archive: Archive) -> ChiefsReport:
    """Import a pocom archive into the session's transaction; PocomError if it cannot be read
    or names a territory that maps to no country (the caller rolls back)."""
    return await merge_chiefs(session, *read_chiefs(archive))
