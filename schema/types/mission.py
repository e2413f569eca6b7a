"""Posts: the Mission type, its addresses and accreditations, and the heads of mission."""

from typing import TYPE_CHECKING, Annotated, Union

import strawberry

from db import models, orders, succession, tenures
from db.partial_date import PartialDate
from schema.columns import column, from_columns
from schema.context import Info
from schema.enums import MissionKind, TenureEnd
from schema.ids import encode_id
from schema.linked_fields import children, cited, either, embedded, on_date, reference
from schema.types.country import Country
from schema.types.mission_facts import Claim, Contact, Jurisdiction, Location
from schema.types.node import Node, Source
from schema.types.quality import QualityIssue

if TYPE_CHECKING:
    from schema.types.organization import Organization
    from schema.types.person import Person

PersonRef = Annotated["Person", strawberry.lazy("schema.types.person")]
OrganizationRef = Annotated["Organization", strawberry.lazy("schema.types.organization")]


@strawberry.type(description="Where a post was, from one date to another.")
class MissionAddress:
    address: str = column("address", description="The street address.")
    city: str = column("city", description="The city of the address.")
    from_: PartialDate | None = column(
        "start", name="from", description="When the post moved here; null when unknown."
    )
    to: PartialDate | None = column(
        "end", description="When the post moved away; null while it is still here or when unknown."
    )

    @classmethod
    def from_row(cls, row: models.MissionAddress) -> "MissionAddress":
        return from_columns(cls, row)


@strawberry.type(description="What sort of post a mission was from one date to another.")
class MissionKindPeriod:
    kind: MissionKind = column("kind", description="What sort of post it was.")
    from_: PartialDate | None = column(
        "start", name="from", description="When it became this kind; null when unknown."
    )
    to: PartialDate | None = column(
        "end", description="When it became another kind; null for its last kind."
    )

    @classmethod
    def from_row(cls, row: models.MissionKindPeriod) -> "MissionKindPeriod":
        return from_columns(cls, row)


Accreditee = Annotated[
    Union[Country, OrganizationRef, Jurisdiction],  # noqa: UP007  (a lazy member needs Union)
    strawberry.union(
        "Accreditee",
        description="A country or an organization a post is accredited to, or another area it covers.",
    ),
]


@strawberry.type(
    description="A country or organization a post is accredited to, or another area it covers, and since when."
)
class Accreditation:
    row: strawberry.Private[models.Accreditation]
    from_: PartialDate | None = column(
        "start", name="from", description="When the accreditation began; null when unknown."
    )
    to: PartialDate | None = column(
        "end", description="When the accreditation ended; null while it lasts or when unknown."
    )

    @classmethod
    def from_row(cls, row: models.Accreditation) -> "Accreditation":
        return from_columns(cls, row, row=row)

    target: Accreditee = either(
        models.Accreditation.country_id,
        models.Accreditation.organization_id,
        models.Accreditation.jurisdiction_id,
        description="The country or organization the post is accredited to, or the area it covers.",
    )


@strawberry.type(
    description="One person's tenure at the head of one post: an ambassador of an embassy, the consul of a consulate."
)
class HeadOfMission(Node):
    row: strawberry.Private[models.HeadOfMission]
    title: str = column(
        "title", description="Ambassador, Chargé d'affaires, Consul General, Honorary Consul, ..."
    )
    ordinal: int | None = column("ordinal", description="1 for the post's first head, where known.")
    start: PartialDate | None = column("start", description="When the tenure began, where known.")
    end: PartialDate | None = column(
        "end",
        description="Null while the tenure is ongoing or when its end is unknown; `ongoing` tells which.",
    )
    ongoing: bool = column(
        "ongoing",
        description="True when the sources say the tenure continues; false when it ended or its end is unknown.",
    )
    in_office_on: PartialDate | None = column(
        "held_on",
        description="A date the sources show this head in office, when they do not say when the tenure began.",
    )

    gap_before: bool = column(
        "gap_before",
        description="True when the sources say others, whom they do not name, headed the post between the tenure before this one in `Mission.heads` and this one.",
    )

    appointed: PartialDate | None = column(
        "appointed", description="When the head was appointed (commissioned), where known."
    )
    arrived: PartialDate | None = column(
        "arrived", description="When the head arrived at the post, where the source says."
    )
    start_note: str | None = column(
        "start_note",
        description="The source's words on `start`, where it qualifies it: 'On or shortly before', 'Officially recognized on'.",
    )
    end_note: str | None = column(
        "end_note",
        description="How the tenure ended, in the source's words: 'Presented recall on', 'Left Brussels'.",
    )
    end_kind: TenureEnd | None = column(
        "end_kind",
        description="How the tenure ended, as a kind; null where the source does not say.",
    )
    note: str | None = column(
        "note",
        description="The source's note on the tenure: 'Commissioned to Prussia; resident at Berlin.'",
    )
    recorded_until: PartialDate | None = column(
        "until",
        description="With no end: the last date the source records anything (its cutoff); the tenure is not known to go on after it.",
    )
    historian_id: str | None = column(
        "historian_id",
        description="The Office of the Historian's id of the tenure ('be-1832-lega-01'), for tenures from its lists.",
    )
    resident_in: Country | None = reference(
        models.HeadOfMission.resident_in_id,
        description="Where the head lived, when not in the host country (a concurrent, non-resident appointment); null when resident there.",
    )
    accredited_to: Country | None = reference(
        models.HeadOfMission.accredited_to_id,
        description="The state the head was accredited to, where the source names one other than the post's host country (a former state: Prussia, Czechoslovakia).",
    )

    @classmethod
    def from_row(cls, row: models.HeadOfMission) -> "HeadOfMission":
        return from_columns(cls, row, id=strawberry.ID(encode_id("HeadOfMission", row.id)), row=row)

    @strawberry.field(description="Data-quality issues about this tenure.")
    async def quality_issues(self, info: Info) -> list[QualityIssue]:
        return QualityIssue.listed(await info.context.loaders.issues_of_head.load(self.row.id))

    @strawberry.field(
        description="The tenure directly before this one at the post, where the sources say which it was (by their numbering, or one tenure ending as this one began); null where they do not."
    )
    async def predecessor(self, info: Info) -> "HeadOfMission | None":
        return await self._neighbour(info, succession.predecessor)

    @strawberry.field(
        description="The tenure directly after this one at the post, where the sources say which it was; null where they do not."
    )
    async def successor(self, info: Info) -> "HeadOfMission | None":
        return await self._neighbour(info, succession.successor)

    async def _neighbour(self, info: Info, find: succession.Finder) -> "HeadOfMission | None":
        """The tenure `find` picks among the post's tenures, if any."""
        heads = info.context.loaders.rows_by(models.HeadOfMission.mission_id, orders.tenure)
        found = find(self.row, await heads.load(self.row.mission_id))
        return None if found is None else HeadOfMission.from_row(found)

    person: PersonRef = reference(
        models.HeadOfMission.person_id, description="The person who headed the post."
    )
    mission: "Mission" = reference(
        models.HeadOfMission.mission_id, description="The post this person headed."
    )
    sources: list[Source] = cited(
        models.head_of_mission_source, description="The sources that state this tenure."
    )


@strawberry.type(
    description="A diplomatic or consular post that one country keeps in another: an embassy, a consulate, an honorary consulate."
)
class Mission(Node):
    row: strawberry.Private[models.Mission]
    kind: MissionKind = column("kind", description="What sort of post this is.")
    name: str = column("name", description="Display name, e.g. 'Embassy of Malaysia, Brussels'.")
    city: str = column(
        "city",
        description="The city the post is in, as its preferred source names it (a city, a municipality or a district); empty where no source names one. `claims` has every source's value.",
    )
    city_wikidata: str | None = column(
        "city_wikidata", description="The Wikidata ID of `city`, where known: 'Q1865'."
    )
    opened: PartialDate | None = column(
        "opened",
        description="When the post opened, where known, as precisely as the preferred source says.",
    )
    closed: PartialDate | None = column(
        "closed", description="When the post closed; null while it is open or when unknown."
    )
    wikidata: str | None = column(
        "wikidata", description="The post's own Wikidata ID, where it has one: 'Q104586118'."
    )
    historian_id: str | None = column(
        "historian_id",
        description="For a US post, the Office of the Historian's id of what it heads: a territory ('belgium') or a mission to an organization ('representative-to-un').",
    )
    historian_post_id: str | None = column(
        "historian_post_id",
        description="For a US post, its id in the Office of the Historian's gazetteer of US posts since 1776 ('brussels', 'aarhus').",
    )

    @classmethod
    def from_row(cls, row: models.Mission) -> "Mission":
        return from_columns(cls, row, id=strawberry.ID(encode_id("Mission", row.id)), row=row)

    claims: list[Claim] = children(
        models.MissionClaim.mission_id,
        order=orders.claims,
        description="Every source's value of the post's city and opening date, each with its source, in the order they were recorded.",
    )
    country: Country = reference(
        models.Mission.country_id, description="The country that keeps the post."
    )
    host_country: Country = reference(
        models.Mission.host_country_id, description="The country the post is in."
    )

    addresses: list[MissionAddress] = children(
        models.MissionAddress.mission_id,
        order=orders.addresses,
        description="Every known address of the post, oldest first.",
    )
    kinds: list[MissionKindPeriod] = children(
        models.MissionKindPeriod.mission_id,
        order=orders.kind_periods,
        description="What sort of post this was through its history (a legation, then an embassy), oldest first; the kind on a date is the period that covers it. Derived from the titles of its heads (see the README).",
    )
    accreditations: list[Accreditation] = children(
        models.Accreditation.mission_id,
        order=orders.by_id,
        description="Countries and organizations the post is accredited to, the host country included.",
    )
    heads: list[HeadOfMission] = children(
        models.HeadOfMission.mission_id,
        order=orders.tenure,
        description="Everyone known to have headed the post, in order of tenure. The heads of an embassy are its ambassadors.",
    )

    sources: list[Source] = cited(
        models.mission_source,
        description="The sources that state this post's existence and details.",
    )
    location: Location | None = embedded(
        "latitude", description="Where the post is; null where no source gives coordinates."
    )
    contact: Contact = embedded(
        description="How to reach the post: website, e-mail, phone and social media."
    )

    address: str | None = on_date(
        tenures.address_on,
        models.MissionAddress,
        attribute="address",
        description="Street address on the given date (default: today); null where unknown.",
    )

    head: HeadOfMission | None = on_date(
        tenures.head_on,
        models.HeadOfMission,
        description="Who headed the post on the given date (default: today); null where the data does not say.",
    )

    @strawberry.field(description="Data-quality issues about this post.")
    async def quality_issues(self, info: Info) -> list[QualityIssue]:
        return QualityIssue.listed(await info.context.loaders.issues_of_mission.load(self.row.id))
