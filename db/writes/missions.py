"""Writing posts (`Mission` rows) and their tenures, in batches; moving a post, ending a tenure, ranking a claim."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from db import models
from db.base import table_of
from db.chunks import objects_in, rows_in
from db.models import MissionKind, TenureEnd
from db.names import post_name
from db.partial_date import PartialDate
from db.relation_links import ensure_relations
from db.search import reindex
from db.writes.batch import Batch, Written, assign, differences, insert_rows
from db.writes.changes import snapshot
from db.writes.edit import Edit, Policy, SourceSpec


@dataclass(frozen=True)
class AccreditationSpec:
    """A country a post is accredited to besides its host (which it always is), by ISO code."""

    country: str
    start: PartialDate | None = None
    end: PartialDate | None = None


@dataclass(frozen=True)
class MissionRecord:
    """A post as a write gives it; `name` defaults to one made of its kind, countries and city."""

    kind: MissionKind
    country: str
    host: str
    city: str
    sources: Sequence[SourceSpec]
    opened: PartialDate | None = None
    closed: PartialDate | None = None
    address: str | None = None
    accreditations: Sequence[AccreditationSpec] = ()
    name: str | None = None
    key: str | None = None
    # Whether the address and the accreditation to the host date from the opening: an
    # importer whose source says so leaves it; a mutation's editor, who gave the opening
    # date and nothing more, does not, and they carry no date.
    dated_by_opening: bool = True


async def write_missions(
    edit: Edit, missions: Sequence[MissionRecord], origin: str | None = None
) -> Written:
    """Create or update posts, with their claims, addresses and accreditations.

    A record names the post its key was written to, else the oldest post of its sender,
    host, kind and city (their natural key): a mutation refuses to open such a post twice,
    an import adopts it. The record's city and opening date are its first source's claims:
    preferred (the post's own values) on a post the record made or an earlier release of
    its origin did, normal beside another source's on a post it adopted, which keeps its own.
    """
    batch = Batch(edit, "mission", origin)
    recorded = await batch.recorded([mission.key for mission in missions])
    M = models.Mission
    codes: dict[int, str] = {}
    checked = []
    for mission in missions:
        country_id = await edit.country(mission.country, ("country",))
        host_id = await edit.country(mission.host, ("host",))
        city = edit.text(mission.city, ("city",), "The city")
        address = edit.text(mission.address, ("address",), "The address")
        if country_id is not None and country_id == host_id:
            edit.reject(("host",), "A post's host country must differ from its own.")
        if not mission.sources:
            edit.reject(("sources",), "A post needs at least one source.")
        source_ids = await edit.sources(mission.sources, ("sources",))
        accredited = [
            await edit.country(a.country, ("accreditations", i, "country"))
            for i, a in enumerate(mission.accreditations)
        ]
        codes.update({country_id: mission.country, host_id: mission.host})  # type: ignore[dict-item]
        checked.append((country_id, host_id, city, address, source_ids, accredited))
    rows: list[int | None] = []
    ours: list[bool] = []  # whether the post is the record's own, or another source's adopted
    for mission, (country_id, host_id, city, *_) in zip(missions, checked, strict=True):
        pk = recorded.get(mission.key) if mission.key is not None else None
        own = pk is not None
        if pk is None and country_id and host_id and city is not None:
            pk = await edit.session.scalar(
                select(M.id)
                .where(
                    M.country_id == country_id,
                    M.host_country_id == host_id,
                    M.kind == mission.kind,
                    M.city == city,
                )
                .order_by(M.id)
                .limit(1)
            )
        if not own and edit.policy is Policy.REFUSE and country_id and host_id and city:
            twin = await _twin(edit, country_id, host_id, mission.kind, city)
            if twin is not None:
                edit.reject(
                    ("city",),
                    f"{twin.name} is this post already: the same country keeps a post of this"
                    f" kind in {twin.city}, in the same country.",
                    "DUPLICATE",
                )
        rows.append(pk)
        ours.append(own or pk is None)
    edit.stop_if_rejected()
    matched = [pk for pk in rows if pk is not None]
    await batch.existing(matched)
    found = await batch.rows(M, matched)
    written: list[models.Mission] = []
    for mission, pk, (country_id, host_id, city, *_) in zip(missions, rows, checked, strict=True):
        assert country_id is not None and host_id is not None and city is not None
        if pk is None:
            name = mission.name or post_name(mission.kind, codes[country_id], codes[host_id], city)
            row = M(
                kind=mission.kind,
                name=name,
                country_id=country_id,
                host_country_id=host_id,
                city=city,
                opened=mission.opened,
                closed=mission.closed,
            )
            edit.session.add(row)
        else:
            row = found[pk]
        written.append(row)
    await edit.session.flush()  # the new posts in one statement
    pairs: list[tuple[int, int]] = []  # the countries each post links, whose relations it keeps
    for mission, pk, row, own, (_, host_id, city, address, source_ids, accredited) in zip(
        missions, rows, written, ours, checked, strict=True
    ):
        if pk is None:
            batch.created.append(row.id)
        elif own:
            values = {"city": city, "opened": mission.opened, "closed": mission.closed}
            assign(row, {**values, **({"name": mission.name} if mission.name else {})})
        elif row.opened is None and mission.opened is not None:
            row.opened = mission.opened  # an adopted post keeps its own values, lacking none
        await _sourced(edit, row, mission, own, source_ids, city or "", address)
        targets = [
            (host_id, mission.opened if mission.dated_by_opening else None, None),
            *(
                (country_id, a.start, a.end)
                for a, country_id in zip(mission.accreditations, accredited, strict=True)
            ),
        ]
        await _accredit(edit, row.id, targets, source_ids[0])  # type: ignore[arg-type]
        pairs += [(row.country_id, other) for other, _, _ in targets if other is not None]
    await ensure_relations(edit.session, pairs)
    return await batch.finish([row.id for row in written], [m.key for m in missions])


async def _twin(
    edit: Edit, country_id: int, host_id: int, kind: MissionKind, city: str
) -> models.Mission | None:
    """A post a new one would repeat: the same sender, host and kind, in the same city (as
    the post or any source gives it, ignoring case)."""
    M, C = models.Mission, models.MissionClaim
    named = select(C.mission_id).where(C.property == "city", func.lower(C.value) == city.lower())
    found: models.Mission | None = await edit.session.scalar(
        select(M)
        .where(
            M.country_id == country_id,
            M.host_country_id == host_id,
            M.kind == kind,
            or_(func.lower(M.city) == city.lower(), M.id.in_(named)),
        )
        .order_by(M.id)
        .limit(1)
    )
    return found


async def _sourced(
    edit: Edit,
    mission: models.Mission,
    record: MissionRecord,
    own: bool,
    source_ids: Sequence[int],
    city: str,
    address: str | None,
) -> None:
    """Link a post to its record's sources, and record what the first says: its city and
    opening date as claims (replacing what that source said before), and its address."""
    await _link_sources(edit, mission.id, source_ids)
    C = models.MissionClaim
    source_id = source_ids[0]
    said = {
        claim.property: claim
        for claim in await edit.session.scalars(
            select(C).where(C.mission_id == mission.id, C.source_id == source_id)
        )
    }
    opened = None if record.opened is None else str(record.opened)
    for name, value in (("city", city), ("opened", opened)):
        claim = said.get(name)
        if claim is not None and claim.value != value:
            await edit.session.delete(claim)
            claim = None
        if claim is None and value is not None:
            preferred = own or (name == "opened" and str(mission.opened) == value)
            if preferred:
                await edit.session.execute(
                    update(C)
                    .where(
                        C.mission_id == mission.id,
                        C.property == name,
                        C.rank == models.ClaimRank.PREFERRED,
                    )
                    .values(rank=models.ClaimRank.NORMAL, version=C.version + 1)
                )
            rank = models.ClaimRank.PREFERRED if preferred else models.ClaimRank.NORMAL
            edit.session.add(
                C(mission_id=mission.id, property=name, value=value, source_id=source_id, rank=rank)
            )
    if address:
        A = models.MissionAddress
        same = select(A.id).where(A.mission_id == mission.id, A.address == address, A.city == city)
        if await edit.session.scalar(same) is None:
            edit.session.add(
                A(
                    mission_id=mission.id,
                    address=address,
                    city=city,
                    start=record.opened if record.dated_by_opening else None,
                    source_id=source_id,
                )
            )


async def _accredit(
    edit: Edit,
    mission_id: int,
    targets: Sequence[tuple[int, PartialDate | None, PartialDate | None]],
    source_id: int,
) -> None:
    """Accredit a post to countries from and to dates; one accreditation per country, the
    dates of one already there replaced where this source gave it."""
    A = models.Accreditation
    known = {
        row.country_id: row
        for row in await edit.session.scalars(
            select(A).where(A.mission_id == mission_id, A.country_id.is_not(None))
        )
    }
    for country_id, start, end in targets:
        row = known.get(country_id)
        if row is None:
            row = A(
                mission_id=mission_id,
                country_id=country_id,
                start=start,
                end=end,
                source_id=source_id,
            )
            edit.session.add(row)
            known[country_id] = row
        elif row.source_id == source_id:
            assign(row, {"start": start, "end": end})


async def move_mission(
    edit: Edit,
    mission_id: int,
    address: str,
    city: str | None,
    moved: PartialDate,
    sources: Sequence[SourceSpec],
    city_wikidata: str | None = None,
) -> None:
    """Record a move, as its sources tell it: the current address ends where the new one
    begins, and a new city becomes the sources' claim, preferred over the others, which stay."""
    mission = await edit.session.get(models.Mission, mission_id)
    assert mission is not None
    before = await snapshot(edit.session, "mission", mission_id)
    tidy_address = edit.text(address, ("address",), "The address")
    new_city = edit.text(city, ("city",), "The city")
    if city_wikidata is not None and new_city is None:
        edit.reject(("city_wikidata",), "A city's Wikidata ID goes with the city it names.")
    source_ids = await edit.sources(edit.on_own_word(sources), ("sources",))
    current = await edit.session.scalars(
        select(models.MissionAddress).where(
            models.MissionAddress.mission_id == mission_id, models.MissionAddress.end.is_(None)
        )
    )
    open_addresses = list(current)
    for row in open_addresses:
        if row.start is not None and moved.first_day <= row.start.first_day:
            edit.reject(
                ("moved",),
                f"The post was at {row.address} from {row.start}; a move must come later.",
            )
    edit.stop_if_rejected()
    for row in open_addresses:
        row.end = moved
    edit.session.add(
        models.MissionAddress(
            mission_id=mission_id,
            address=tidy_address,
            city=new_city or mission.city,
            start=moved,
            source_id=source_ids[0],
        )
    )
    await _link_sources(edit, mission_id, source_ids)
    if new_city is not None:
        await _prefer_city(edit, mission, new_city, city_wikidata, source_ids[0])
    await edit.session.flush()
    await reindex(edit.session, "mission", [mission_id])
    await edit.log("mission", mission_id, before)


async def _link_sources(edit: Edit, mission_id: int, source_ids: Sequence[int]) -> None:
    """Cite these sources for a post, beside those it cites already."""
    S = models.mission_source
    known = set(
        await edit.session.scalars(select(S.c.source_id).where(S.c.mission_id == mission_id))
    )
    for source_id in dict.fromkeys(source_ids):
        if source_id not in known:
            await edit.session.execute(insert(S).values(mission_id=mission_id, source_id=source_id))


async def _prefer_city(
    edit: Edit, mission: models.Mission, city: str, wikidata: str | None, source_id: int
) -> None:
    """Make a source's city the post's: its claim (replacing what that source said before)
    is preferred, the others' stay as normal claims, and the post's city follows."""
    C = models.MissionClaim
    said = await edit.session.scalar(
        select(C).where(C.mission_id == mission.id, C.property == "city", C.source_id == source_id)
    )
    if said is not None and (said.value, said.wikidata) != (city, wikidata):
        await edit.session.delete(said)
        await edit.session.flush()
        said = None
    await edit.session.execute(
        update(C)
        .where(
            C.mission_id == mission.id,
            C.property == "city",
            C.rank == models.ClaimRank.PREFERRED,
            C.id != (said.id if said is not None else -1),
        )
        .values(rank=models.ClaimRank.NORMAL, version=C.version + 1)
    )
    if said is None:
        edit.session.add(
            C(
                mission_id=mission.id,
                property="city",
                value=city,
                wikidata=wikidata,
                source_id=source_id,
                rank=models.ClaimRank.PREFERRED,
            )
        )
    elif said.rank is not models.ClaimRank.PREFERRED:
        said.rank, said.version = models.ClaimRank.PREFERRED, said.version + 1
    await follow_city(edit, mission, city, wikidata)


async def follow_city(edit: Edit, mission: models.Mission, city: str, wikidata: str | None) -> None:
    """Give a post a new city, with its Wikidata ID (none rather than the old city's), and
    the name made of it, unless its name was set by hand.

    A name is the generator's when it is what db.names.post_name makes of the old city, or
    ends with ", <old city>" as every name it makes does; any other was chosen, and stays.
    """
    old = mission.city
    if old != city:
        found = await edit.session.execute(
            select(models.Country.id, models.Country.code).where(
                models.Country.id.in_([mission.country_id, mission.host_country_id])
            )
        )
        codes: dict[int, str] = {pk: code for pk, code in found}
        sender, host = codes[mission.country_id], codes[mission.host_country_id]
        if mission.name == post_name(mission.kind, sender, host, old):
            mission.name = post_name(mission.kind, sender, host, city)
        elif mission.name.endswith(f", {old}"):
            mission.name = mission.name.removesuffix(old) + city
    mission.city, mission.city_wikidata = city, wikidata


@dataclass(frozen=True)
class HeadRecord:
    """A tenure as a write gives it: who headed which post (row ids), from and to when."""

    mission_id: int
    person_id: int
    title: str
    sources: Sequence[SourceSpec]
    start: PartialDate | None = None
    end: PartialDate | None = None
    # With no end: True when the sources say the tenure goes on (one per post at a time).
    ongoing: bool = False
    held_on: PartialDate | None = None
    ordinal: int | None = None
    gap_before: bool = False
    # What a source such as pocom says besides: when the head was appointed and presented
    # credentials (arrived), its notes on the start, the end and the tenure, how it ended,
    # the country (row id) the head was accredited to where not the host, where the head
    # lived where not there, and, for a tenure without an end, the source's cutoff.
    appointed: PartialDate | None = None
    arrived: PartialDate | None = None
    start_note: str | None = None
    end_note: str | None = None
    end_kind: TenureEnd | None = None
    note: str | None = None
    accredited_to_id: int | None = None
    resident_in_id: int | None = None
    until: PartialDate | None = None
    historian_id: str | None = None  # the Office of the Historian's id, as the API shows it
    key: str | None = None


SECOND_HEAD = "The post's current head is still in office: end that tenure first (endHeadship)."


async def write_heads(
    edit: Edit, heads: Sequence[HeadRecord], origin: str | None = None
) -> Written:
    """Create or update tenures.

    A record names the tenure its key was written to; else, in an import, the tenure of
    the same post, person, title and start (or day in office) if there is one. Faults follow
    the edit's policy: an end before the start, and a tenure in office at a post that has
    another (a CONFLICT). An import keeps the second as a tenure whose end is unknown, and
    db.quality reports the overlap; a mutation refuses both. The batch is read and written
    in a few statements, whatever its size.
    """
    session = edit.session
    batch = Batch(edit, "head_of_mission", origin)
    recorded = await batch.recorded([head.key for head in heads])
    await edit.cite([spec for head in heads for spec in head.sources])
    H = models.HeadOfMission
    titles = [edit.text(head.title, ("title",), "The title") or "" for head in heads]
    sources = []
    for index, head in enumerate(heads):
        edit.period(head.start, head.end, ("end",), index=index)
        if not head.sources:
            edit.reject(("sources",), "A tenure needs at least one source.")
        sources.append(await edit.sources(head.sources, ("sources",)))
    posts = list(dict.fromkeys(head.mission_id for head in heads))
    held = await objects_in(session, H, H.mission_id, posts)
    # The tenures held, by their natural key: post, person, title and start (or day in office).
    same: dict[tuple[object, ...], int] = {}
    for h in held:
        same.setdefault((h.mission_id, h.person_id, h.title, h.start or h.held_on), h.id)
    rows: list[int | None] = []
    for head, title in zip(heads, titles, strict=True):
        pk = recorded.get(head.key) if head.key is not None else None
        if pk is None and edit.policy is Policy.FLAG:
            natural = (head.mission_id, head.person_id, title, head.start or head.held_on)
            pk = same.get(natural)
        rows.append(pk)
    # The tenure each post has in office, among those the batch does not write.
    writing = set(rows)
    in_office = {h.mission_id: h.id for h in held if h.ongoing and h.id not in writing}
    ongoing: list[bool] = []
    for index, (head, pk) in enumerate(zip(heads, rows, strict=True)):
        other = in_office.get(head.mission_id)
        if head.ongoing and other is not None and other != pk:
            edit.fault(index, ("mission_id",), SECOND_HEAD, "CONFLICT")
            ongoing.append(False)
        else:
            ongoing.append(head.ongoing)
            if head.ongoing and pk is not None:
                in_office[head.mission_id] = pk
            elif head.ongoing:
                in_office[head.mission_id] = -1 - index  # a new one, not yet numbered
    edit.stop_if_rejected()
    values = [
        _head_values(head, title, in_post)
        for head, title, in_post in zip(heads, titles, ongoing, strict=True)
    ]
    found = {h.id: h for h in held}
    found.update(await batch.rows(H, [pk for pk in rows if pk is not None and pk not in found]))
    changes = differences(rows, values, found)
    matched = set(pk for pk in rows if pk is not None)
    await batch.existing(list(changes), unchanged=len(matched) - len(changes))
    for pk, differs in changes.items():
        assign(found[pk], differs)
    fresh = [index for index, pk in enumerate(rows) if pk is None]
    try:
        await session.flush()
        created = await insert_rows(session, table_of(H), [values[index] for index in fresh])
    except IntegrityError:  # another process appointed a head between our check and our write
        edit.reject(("mission_id",), "Another head was just appointed to this post.", "CONFLICT")
        edit.stop_if_rejected()
        raise
    for index, pk in zip(fresh, created, strict=True):
        rows[index] = pk
    S = models.head_of_mission_source
    ids = [pk for pk in rows if pk is not None]
    cited = select(S.c.head_of_mission_id, S.c.source_id)
    linked = {tuple(row) for row in await rows_in(session, cited, S.c.head_of_mission_id, ids)}
    links = [
        {"head_of_mission_id": pk, "source_id": source_id}
        for pk, cited in zip(ids, sources, strict=True)
        for source_id in dict.fromkeys(cited)
        if (pk, source_id) not in linked
    ]
    if links:
        await session.execute(insert(S), links)
    batch.created += created
    return await batch.finish(ids, [head.key for head in heads])


def _head_values(head: HeadRecord, title: str, ongoing: bool) -> dict[str, Any]:
    """A tenure's columns, as a record gives them."""
    return {
        "mission_id": head.mission_id,
        "person_id": head.person_id,
        "title": title,
        "start": head.start,
        "end": head.end,
        "ongoing": ongoing,
        "held_on": head.held_on,
        "ordinal": head.ordinal,
        "gap_before": head.gap_before,
        "appointed": head.appointed,
        "arrived": head.arrived,
        "start_note": head.start_note,
        "end_note": head.end_note,
        "end_kind": head.end_kind,
        "note": head.note,
        "accredited_to_id": head.accredited_to_id,
        "resident_in_id": head.resident_in_id,
        "until": head.until,
        "historian_id": head.historian_id,
    }


async def delete_heads(edit: Edit, ids: Sequence[int]) -> None:
    """Remove tenures (a source withdrew them), with their citations and the keys they were
    imported by; each is logged as it was."""
    H, S, R = models.HeadOfMission, models.head_of_mission_source, models.Record
    batch = Batch(edit, "head_of_mission", None)
    await batch.existing(ids)
    await edit.session.execute(delete(S).where(S.c.head_of_mission_id.in_(ids)))
    await edit.session.execute(delete(R).where(R.kind == "head_of_mission", R.ref_id.in_(ids)))
    await edit.session.execute(delete(H).where(H.id.in_(ids)))
    await batch.finish([], [])


async def end_headship(
    edit: Edit, head_id: int, end: PartialDate, sources: Sequence[SourceSpec]
) -> None:
    """End a tenure on a date, which must not come before its start; the sources that say
    so are cited for the tenure, beside those of its start."""
    head = await edit.session.get(models.HeadOfMission, head_id)
    assert head is not None
    before = await snapshot(edit.session, "head_of_mission", head_id)
    if head.end is not None:
        edit.reject(("head_id",), f"This tenure ended already, in {head.end}.", "CONFLICT")
    edit.period(head.start, end, ("end",))
    source_ids = await edit.sources(edit.on_own_word(sources), ("sources",))
    edit.stop_if_rejected()
    head.end, head.ongoing = end, False
    S = models.head_of_mission_source
    cited = set(
        await edit.session.scalars(select(S.c.source_id).where(S.c.head_of_mission_id == head_id))
    )
    for source_id in dict.fromkeys(source_ids):
        if source_id not in cited:
            await edit.session.execute(
                insert(S).values(head_of_mission_id=head_id, source_id=source_id)
            )
    await edit.session.flush()
    await edit.log("head_of_mission", head_id, before)


async def rank_claim(
    edit: Edit, claim_id: int, rank: models.ClaimRank, expected: int | None
) -> int:
    """Give a source's value a rank; preferring it makes it the post's value of that property.

    The preferred value gives way only to another: a claim stops being preferred when
    another of the same property is preferred instead.
    """
    claim = await edit.session.get(models.MissionClaim, claim_id)
    assert claim is not None  # the caller has checked the reference
    if expected is not None and claim.version != expected:
        edit.reject(
            ("expected",),
            f"The claim is at version {claim.version}, not {expected}: reload it and try again.",
            "CONFLICT",
        )
    if claim.rank is models.ClaimRank.PREFERRED and rank is not models.ClaimRank.PREFERRED:
        edit.reject(
            ("rank",),
            f"This is the post's preferred {claim.property}: prefer another claim of it instead.",
        )
    edit.stop_if_rejected()
    if claim.rank is rank:
        return claim.id  # nothing to change, nothing to log
    before = await snapshot(edit.session, "mission", claim.mission_id)
    if rank is models.ClaimRank.PREFERRED:
        C = models.MissionClaim
        await edit.session.execute(
            update(C)
            .where(
                C.mission_id == claim.mission_id,
                C.property == claim.property,
                C.rank == models.ClaimRank.PREFERRED,
            )
            .values(rank=models.ClaimRank.NORMAL, version=C.version + 1)
        )
        mission = await edit.session.get(models.Mission, claim.mission_id)
        assert mission is not None
        if claim.property == "city":
            await follow_city(edit, mission, claim.value, claim.wikidata)
        else:
            mission.opened = PartialDate.parse(claim.value)
    claim.rank, claim.version = rank, claim.version + 1
    await edit.session.flush()
    await reindex(edit.session, "mission", [claim.mission_id])
    await edit.log("mission", claim.mission_id, before)
    return claim.id
