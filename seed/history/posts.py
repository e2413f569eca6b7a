"""The Office of the Historian's gazetteer of US posts since 1776 (gsh's `data/posts`): every
US embassy, consulate general, consulate, consular agency and branch office, with the years
it opened and closed, as posts of the US's history.

Each post keeps one identity: a post found by its gsh id (`Mission.historianPostId`) is the
one an earlier import made or adopted; else the US post the database already has of the same
kind in the same country and city (the world's posts from Wikidata) is adopted; else an
embassy is the post pocom's list of chiefs for that country made (city unknown, one embassy
in gsh there), or, if open, the one open US embassy to that country; else the post is new.
gsh's years go on the post where it had none; where the post already says otherwise, they
are kept as a claim of lower rank beside it.
"""

from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from db import models
from db.base import table_of
from db.models import ClaimRank, MissionKind
from db.names import post_name
from db.partial_date import PartialDate
from db.search import rebuild_search_index
from seed.datasets import record_dataset
from seed.history.archive import Archive, ArchiveError
from seed.history.former_states import FormerStatesReport, load_former_states
from seed.history.provenance import LICENCE, PUBLISHER, Provenance
from seed.history.report import ImportReport, Skip
from seed.history.territories import country_of

TITLE = "Guide to the United States' History of Recognition, Diplomatic, and Consular Relations"
REPOSITORY = "https://github.com/HistoryAtState/gsh"
ACTION = "importUsPosts"
SENDER = "US"
_STILL = "9999"  # gsh's valid-until for a post still open
_UNKNOWN = "?"  # gsh's year where it does not know it

# gsh's post types (data/code-tables/post-types.xml) as kinds of post.
POST_KINDS: dict[str, MissionKind] = {
    "embassy": MissionKind.EMBASSY,
    "consulate-general": MissionKind.CONSULATE_GENERAL,
    "consulate": MissionKind.CONSULATE,
    "consular-agency": MissionKind.CONSULAR_AGENCY,
    "branch-office": MissionKind.BRANCH_OFFICE,
}


def _folded(text: str) -> str:
    """A city's name as names are compared: no accents, case, spaces or punctuation."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if c.isalnum()).casefold()


@dataclass(frozen=True)
class PostRecord:
    """One of gsh's posts, read and checked."""

    id: str  # the file's name: "aarhus"
    path: str
    territory: str
    kind: MissionKind
    city: str
    opened: PartialDate | None
    closed: PartialDate | None
    url: str  # the first source gsh gives for it


@dataclass(frozen=True)
class GshPosts:
    """gsh's posts as read: those to import, those skipped and the faults noticed."""

    posts: list[PostRecord]
    skipped: list[Skip]
    notices: list[Skip]


@dataclass
class PostsReport(ImportReport):
    """What an import of gsh did: its former states, then each of its posts."""

    states: FormerStatesReport | None = None
    kinds: Counter[str] = field(default_factory=Counter)

    def __str__(self) -> str:
        return f"{self.states}; {self.counts('US posts')}; by kind {dict(self.kinds)}"


def _year(
    path: str, post_id: str, text: str | None, what: str, problems: list[str], notices: list[Skip]
) -> PartialDate | None:
    text = (text or "").strip()
    if not text or text == _STILL:
        return None
    if text == _UNKNOWN:
        notices.append(Skip(path, post_id, f"{what} year unknown: gsh writes {text!r}"))
        return None
    if not (len(text) == 4 and text.isdigit()):
        problems.append(f"{path}: {what} {text!r} is not a year")
        return None
    return PartialDate(text)


def read_posts(gsh: Archive) -> GshPosts:
    """gsh's posts; ArchiveError listing each post that cannot be read (an unknown post type,
    a year that is not a year, a territory that maps to no country). A locale gsh's gazetteer
    lacks is noticed: the post's city is then its id's words. The posts, and the faults
    noticed in them; a repeated post is skipped."""
    cities = {
        (root.findtext("id") or "").strip(): (root.findtext("name") or "").strip()
        for _, root in gsh.documents("data/locales")
    }
    problems: list[str] = []
    notices: list[Skip] = []
    skipped: list[Skip] = []
    seen: dict[tuple[object, ...], str] = {}
    posts = []
    for path, root in gsh.documents("data/posts"):
        post_id = path.rsplit("/", 1)[-1].removesuffix(".xml")
        territory = (root.findtext("territory-id") or "").strip()
        kind_text = (root.findtext("post-type") or "").strip()
        if root.tag != "post" or not territory:
            problems.append(f"{path}: not a gsh post")
            continue
        kind = POST_KINDS.get(kind_text)
        if kind is None:
            problems.append(f"{path}: unknown post type {kind_text!r}")
        if country_of(territory) is None:
            problems.append(f"{path}: territory {territory!r} maps to no country")
        events = {
            (event.findtext("type") or "").strip(): event.findtext("date")
            for event in root.iter("event")
        }
        since = events.get("opened") or root.findtext("valid-since")
        until = events.get("closed") or root.findtext("valid-until")
        opened = _year(path, post_id, since, "opened", problems, notices)
        closed = _year(path, post_id, until, "closed", problems, notices)
        locale = (root.findtext("locale-id") or "").strip()
        city = cities.get(locale, "")
        if not city:
            city = " ".join(word[:1].upper() + word[1:] for word in locale.split("-"))
            notices.append(
                Skip(path, post_id, f"locale {locale!r} not in gsh's locales: city from its id")
            )
        if opened and closed and closed.first_day < opened.first_day:
            notices.append(Skip(path, post_id, "dates out of order: closed before opened"))
        sources = [s.text.strip() for s in root.iter("source") if s.text and s.text.strip()]
        same = (territory, kind, locale, opened, closed)
        if same in seen:
            skipped.append(Skip(path, post_id, f"repeated post: the same as {seen[same]}"))
            continue
        seen[same] = post_id
        if kind is not None:
            posts.append(
                PostRecord(
                    post_id,
                    path,
                    territory,
                    kind,
                    city,
                    opened,
                    closed,
                    sources[0] if sources else f"https://history.state.gov/countries/{territory}",
                )
            )
    if problems:
        raise ArchiveError("\n".join(problems[:50]) + f"\n({len(problems)} problem(s))")
    return GshPosts(posts, skipped, notices)


async def merge_posts(session: AsyncSession, gsh: Archive, read: GshPosts) -> PostsReport:
    """Merge a read gsh archive into the session's transaction: the former states it
    describes, then the US posts of its gazetteer."""
    report = PostsReport(
        rows=len(read.posts) + len(read.skipped),
        skipped=list(read.skipped),
        notices=list(read.notices),
    )
    report.states = await load_former_states(session, gsh)
    await _PostsMerge(session, gsh, report).run(read.posts)
    return report


async def import_gsh(session: AsyncSession, gsh: Archive) -> PostsReport:
    """Import a gsh archive into the session's transaction; ArchiveError (the caller rolls
    back) where a post cannot be read."""
    return await merge_posts(session, gsh, read_posts(gsh))


class _PostsMerge:
    """Merges one gsh release's gazetteer into the US posts the database has."""

    def __init__(self, session: AsyncSession, gsh: Archive, report: PostsReport) -> None:
        self.session = session
        self.gsh = gsh
        self.report = report
        version = f" (gsh {gsh.commit[:8]})" if gsh.commit else ""
        self.provenance = Provenance(session, f"{PUBLISHER}: {TITLE}{version}", ACTION)

    async def run(self, posts: list[PostRecord]) -> None:
        M = models.Mission
        codes = dict(
            (await self.session.execute(select(models.Country.code, models.Country.id))).all()
        )
        self.us = us = codes[SENDER]
        missions = list(await self.session.scalars(select(M).where(M.country_id == us)))
        await self.provenance.watch("mission", [m.id for m in missions])
        by_gsh = {m.historian_post_id: m for m in missions if m.historian_post_id}
        A = models.Accreditation
        covered: dict[int, set[int | None]] = defaultdict(set)
        for mission_id, country_id in await self.session.execute(
            select(A.mission_id, A.country_id)
            .join(M, M.id == A.mission_id)
            .where(M.country_id == us)
        ):
            covered[mission_id].add(country_id)
        # Each host's open US embassy to it (Wikidata's cities are often districts, "Mitte",
        # where gsh names the city, "Berlin"), by host.
        self.open_embassies: dict[int, list[models.Mission]] = defaultdict(list)
        self.by_place: dict[tuple[int, MissionKind, str], list[models.Mission]] = defaultdict(list)
        self.chiefs_posts: dict[str, models.Mission] = {}  # pocom's posts of unknown city
        for mission in missions:
            if mission.historian_post_id is None:
                kind = MissionKind.EMBASSY if mission.kind is MissionKind.LEGATION else mission.kind
                self.by_place[(mission.host_country_id, kind, _folded(mission.city))].append(
                    mission
                )
                if mission.historian_id and not mission.city:
                    self.chiefs_posts[mission.historian_id] = mission
                if (
                    kind is MissionKind.EMBASSY
                    and mission.closed is None
                    and covered[mission.id] <= {mission.host_country_id}
                ):
                    self.open_embassies[mission.host_country_id].append(mission)
        embassies = Counter(
            p.territory for p in posts if p.kind is MissionKind.EMBASSY
        )  # gsh embassies per territory
        sources = await self.provenance.sources([(p.id, p.url) for p in posts])
        claims = await self._claims()
        new: list[tuple[PostRecord, int, int]] = []
        for post in posts:
            host = codes[str(country_of(post.territory))]  # read_posts checked it maps
            source_id = sources[(post.id, post.url)]
            self.report.kinds[post.kind.name] += 1
            known = by_gsh.get(post.id)
            if known is not None:
                changed = await self._years(known, post, source_id, claims)
                if changed:
                    self.report.updated += 1
                else:
                    self.report.unchanged += 1
                continue
            adopted = self._adopt(post, host, embassies[post.territory])
            if adopted is not None:
                adopted.historian_post_id = post.id
                await self._cite(adopted.id, source_id)
                await self._years(adopted, post, source_id, claims)
                self.report.merged += 1
                continue
            new.append((post, host, source_id))
        await self._create(new)
        await self.session.flush()
        await self.provenance.write_log()
        await record_dataset(
            self.session,
            "gsh",
            title=TITLE,
            publisher=PUBLISHER,
            url=REPOSITORY,
            licence=LICENCE,
            version=self.gsh.commit,
            released=None,
            cutoff=None,
            counts={"posts": len(posts), "skipped": len(self.report.skipped)},
        )
        await rebuild_search_index(self.session)

    def _adopt(self, post: PostRecord, host: int, embassies_there: int) -> models.Mission | None:
        """The post the database already has that gsh's post is, if any: the one of the same
        kind, host and city; else, for an embassy, pocom's post for the same territory (where
        gsh has one embassy there) or the one open US embassy to the host. Taken out of the
        running once adopted."""
        same = self.by_place.get((host, post.kind, _folded(post.city)), [])
        adopted = same[0] if len(same) == 1 else None
        if adopted is None and post.kind is MissionKind.EMBASSY and embassies_there == 1:
            adopted = self.chiefs_posts.pop(post.territory, None)
            if adopted is not None:
                adopted.city = post.city
        if adopted is None and post.kind is MissionKind.EMBASSY and post.closed is None:
            candidates = self.open_embassies.get(host, [])
            adopted = candidates[0] if len(candidates) == 1 else None
        if adopted is not None:
            for held in (*self.by_place.values(), *self.open_embassies.values()):
                if adopted in held:
                    held.remove(adopted)
        return adopted

    async def _claims(self) -> dict[tuple[int, str], models.MissionClaim]:
        """This dataset's claims already made (by any release), by post and property."""
        C, S = models.MissionClaim, models.Source
        rows = await self.session.scalars(  # any release's: a newer one updates them
            select(C)
            .join(S, S.id == C.source_id)
            .where(S.title.startswith(f"{PUBLISHER}: {TITLE}", autoescape=True))
        )
        return {(claim.mission_id, claim.property): claim for claim in rows}

    async def _cite(self, mission_id: int, source_id: int) -> None:
        await self.session.execute(
            insert(models.mission_source).values(mission_id=mission_id, source_id=source_id)
        )

    async def _years(
        self,
        mission: models.Mission,
        post: PostRecord,
        source_id: int,
        claims: dict[tuple[int, str], models.MissionClaim],
    ) -> bool:
        """gsh's opening and closing years on a post: its own where it had none, else a claim
        of lower rank. Whether anything changed."""
        changed = False
        for name, value in (("opened", post.opened), ("closed", post.closed)):
            held: PartialDate | None = getattr(mission, name)
            claim = claims.get((mission.id, name))
            if value is None:
                continue
            preferred = (
                held is None
                or held == value
                or (claim is not None and claim.rank is ClaimRank.PREFERRED)
            )
            if preferred and held != value:
                setattr(mission, name, value)
                changed = True
            rank = ClaimRank.PREFERRED if preferred else ClaimRank.NORMAL
            if claim is None:
                self.session.add(
                    models.MissionClaim(
                        mission_id=mission.id,
                        property=name,
                        value=str(value),
                        source_id=source_id,
                        rank=rank,
                    )
                )
                changed = True
            elif (claim.value, claim.rank) != (str(value), rank):
                claim.value, claim.rank, claim.source_id = str(value), rank, source_id
                changed = True
        return changed

    async def _create(self, new: list[tuple[PostRecord, int, int]]) -> None:
        """Posts gsh gives that the database lacks, with their years, citations and their
        accreditation to their host, which every post has (a consulate's too)."""
        missions = []
        for post, host, _ in new:
            code = country_of(post.territory)
            assert code is not None
            missions.append(
                models.Mission(
                    kind=post.kind,
                    name=post_name(post.kind, SENDER, code, post.city),
                    country_id=self.us,
                    host_country_id=host,
                    city=post.city,
                    opened=post.opened,
                    closed=post.closed,
                    historian_post_id=post.id,
                )
            )
        self.session.add_all(missions)
        await self.session.flush()
        links, claims, accreditations = [], [], []
        for mission, (post, host, source_id) in zip(missions, new, strict=True):
            links.append({"mission_id": mission.id, "source_id": source_id})
            claims += [
                {
                    "mission_id": mission.id,
                    "property": name,
                    "value": str(value),
                    "source_id": source_id,
                    "rank": ClaimRank.PREFERRED,
                }
                for name, value in (("opened", post.opened), ("closed", post.closed))
                if value is not None
            ]
            accreditations.append(
                {"mission_id": mission.id, "country_id": host, "source_id": source_id}
            )
            self.provenance.created("mission", mission.id)
        for table, rows in (
            (models.mission_source, links),
            (table_of(models.MissionClaim), claims),
            (table_of(models.Accreditation), accreditations),
        ):
            if rows:
                await self.session.execute(insert(table), rows)
        self.report.created += len(new)
