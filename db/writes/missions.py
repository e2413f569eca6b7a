"""Writing posts: opening one, moving it, appointing and ending its heads."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from db import models
from db.models import MissionKind
from db.names import post_name
from db.partial_date import PartialDate
from db.relation_links import ensure_relations
from db.search import reindex
from db.writes.edit import Edit, SourceSpec
from db.writes.snapshots import snapshot


async def create_mission(
    edit: Edit,
    kind: MissionKind,
    country: str,
    host: str,
    city: str,
    address: str | None,
    opened: PartialDate | None,
    sources: Sequence[SourceSpec],
) -> int:
    """Open a post; its sender, host, kind and city are its natural key."""
    country_id = await edit.country(country, ("country",))
    host_id = await edit.country(host, ("host",))
    tidy_city = edit.text(city, ("city",), "The city")
    tidy_address = edit.text(address, ("address",), "The address")
    if country_id is not None and country_id == host_id:
        edit.reject(("host",), "A post's host country must differ from its own.")
    if not sources:
        edit.reject(("sources",), "A post needs at least one source.")
    source_ids = await edit.sources(sources, ("sources",))
    M = models.Mission
    same = select(M.id).where(
        M.country_id == country_id,
        M.host_country_id == host_id,
        M.kind == kind,
        M.city == tidy_city,
    )
    if country_id and host_id and tidy_city and await edit.session.scalar(same):
        edit.reject(("city",), "This country keeps such a post in this city already.", "DUPLICATE")
    edit.stop_if_rejected()

    assert country_id is not None and host_id is not None and tidy_city is not None
    codes = dict(
        (
            await edit.session.execute(
                select(models.Country.id, models.Country.code).where(
                    models.Country.id.in_([country_id, host_id])
                )
            )
        ).all()
    )
    mission = M(
        kind=kind,
        name=post_name(kind, codes[country_id], codes[host_id], tidy_city),
        country_id=country_id,
        host_country_id=host_id,
        city=tidy_city,
        opened=opened,
    )
    edit.session.add(mission)
    await edit.session.flush()
    for source_id in dict.fromkeys(source_ids):
        await edit.session.execute(
            insert(models.mission_source).values(mission_id=mission.id, source_id=source_id)
        )
    # What its sources say of its city and opening date, as the seed loader records them.
    for name, value in (("city", tidy_city), ("opened", None if opened is None else str(opened))):
        if value is not None:
            edit.session.add(
                models.MissionClaim(
                    mission_id=mission.id,
                    property=name,
                    value=value,
                    source_id=source_ids[0],
                    rank=models.ClaimRank.PREFERRED,
                )
            )
    # A post is accredited to its host country from its opening.
    edit.session.add(
        models.Accreditation(
            mission_id=mission.id, country_id=host_id, start=opened, source_id=source_ids[0]
        )
    )
    if tidy_address:
        edit.session.add(
            models.MissionAddress(
                mission_id=mission.id,
                address=tidy_address,
                city=tidy_city,
                start=opened,
                source_id=source_ids[0],
            )
        )
    await edit.session.flush()
    await ensure_relations(edit.session, [(country_id, host_id)])
    await reindex(edit.session, "mission", [mission.id])
    await edit.log("mission", mission.id, None)
    return mission.id


async def move_mission(
    edit: Edit, mission_id: int, address: str, city: str | None, moved: PartialDate
) -> None:
    """Record a move: the current address ends where the new one begins."""
    mission = await edit.session.get(models.Mission, mission_id)
    assert mission is not None
    before = await snapshot(edit.session, "mission", mission_id)
    tidy_address = edit.text(address, ("address",), "The address")
    tidy_city = edit.text(city, ("city",), "The city") or mission.city
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
            mission_id=mission_id, address=tidy_address, city=tidy_city, start=moved
        )
    )
    mission.city = tidy_city
    await edit.session.flush()
    await reindex(edit.session, "mission", [mission_id])
    await edit.log("mission", mission_id, before)


async def appoint_head(
    edit: Edit,
    mission_id: int,
    person_id: int,
    title: str,
    start: PartialDate | None,
    sources: Sequence[SourceSpec],
) -> int:
    """A new head of a post, in office from `start`; a CONFLICT while another tenure is open."""
    tidy_title = edit.text(title, ("title",), "The title")
    H = models.HeadOfMission
    open_tenure = await edit.session.scalar(
        select(H).where(H.mission_id == mission_id, H.ongoing.is_(True))
    )
    if open_tenure is not None:
        edit.reject(
            ("mission_id",),
            "The post's current head is still in office: end that tenure first (endHeadship).",
            "CONFLICT",
        )
    if not sources:
        edit.reject(("sources",), "A tenure needs at least one source.")
    source_ids = await edit.sources(sources, ("sources",))
    edit.stop_if_rejected()
    head = H(
        mission_id=mission_id, person_id=person_id, title=tidy_title, start=start, ongoing=True
    )
    edit.session.add(head)
    try:
        await edit.session.flush()
    except IntegrityError:  # another process appointed a head between our check and our write
        edit.reject(("mission_id",), "Another head was just appointed to this post.", "CONFLICT")
        edit.stop_if_rejected()
    for source_id in dict.fromkeys(source_ids):
        await edit.session.execute(
            insert(models.head_of_mission_source).values(
                head_of_mission_id=head.id, source_id=source_id
            )
        )
    await edit.log("head_of_mission", head.id, None)
    return head.id


async def end_headship(edit: Edit, head_id: int, end: PartialDate) -> None:
    """End a tenure on a date, which must not come before its start."""
    head = await edit.session.get(models.HeadOfMission, head_id)
    assert head is not None
    before = await snapshot(edit.session, "head_of_mission", head_id)
    if head.end is not None:
        edit.reject(("head_id",), f"This tenure ended already, in {head.end}.", "CONFLICT")
    edit.period(head.start, end, ("end",))
    edit.stop_if_rejected()
    head.end, head.ongoing = end, False
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
            mission.city, mission.city_wikidata = claim.value, claim.wikidata
        else:
            mission.opened = PartialDate.parse(claim.value)
    claim.rank, claim.version = rank, claim.version + 1
    await edit.session.flush()
    await reindex(edit.session, "mission", [claim.mission_id])
    await edit.log("mission", claim.mission_id, before)
    return claim.id
