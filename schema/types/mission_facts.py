"""What a post's sources add to it: where it is, how to reach it, and each source's own values."""

import strawberry

from db import models
from schema.columns import column, from_columns
from schema.enums import ClaimRank
from schema.ids import encode_id
from schema.linked_fields import reference
from schema.types.node import Node, Source


@strawberry.type(description="A point on the earth, in WGS 84 degrees.")
class Location:
    latitude: float = column(
        "latitude", description="Degrees north of the equator; negative to the south."
    )
    longitude: float = column(
        "longitude", description="Degrees east of Greenwich; negative to the west."
    )


@strawberry.type(description="How to reach a post; each detail is null where no source gives it.")
class Contact:
    website: str | None = column("website", description="The post's website, as a URL.")
    email: str | None = column("email", description="The post's e-mail address.")
    phone: str | None = column("phone", description="The post's telephone number, as written.")
    facebook: str | None = column("facebook", description="The post's Facebook username.")
    twitter: str | None = column("twitter", description="The post's X (Twitter) username.")
    youtube: str | None = column("youtube", description="The post's YouTube channel ID.")


@strawberry.type(
    description="One source's value for one property of a post. Where sources disagree, each value is kept with its own source and a rank; the post's plain field gives the preferred one."
)
class Claim(Node):
    row: strawberry.Private[models.MissionClaim]
    property: str = column("property", description="The property: 'city' or 'opened'.")
    value: str = column(
        "value", description="The value as the source gives it; a date as a partial date."
    )
    wikidata: str | None = column(
        "wikidata", description="The Wikidata ID of the value itself (a city's item), if known."
    )

    rank: ClaimRank = column(
        "rank", description="How this value stands among the sources' values for the property."
    )
    version: int = column(
        "version",
        description="Grows by one with every change of rank; send it back as `expectedVersion`.",
    )

    @classmethod
    def from_row(cls, row: models.MissionClaim) -> "Claim":
        return from_columns(cls, row, id=strawberry.ID(encode_id("Claim", row.id)), row=row)

    source: Source = reference(
        models.MissionClaim.source_id, description="The source that gives this value."
    )


@strawberry.type(
    description="An area or body that a post covers and that is not a country here, as Wikidata names it: a province, the European Union."
)
class Jurisdiction:
    name: str = column("name", description="Its English name on Wikidata.")
    wikidata: str = column("wikidata", description="Its Wikidata ID, e.g. 'Q458'.")

    @classmethod
    def from_row(cls, row: models.Jurisdiction) -> "Jurisdiction":
        return from_columns(cls, row)
