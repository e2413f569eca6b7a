"""Global IDs: every Node type round-trips through `node` and `nodes`."""

from conftest import Failing, GraphQL
from graphql import GraphQLObjectType

from db import models
from db.base import table_of
from db.kinds import KINDS, PARTICIPANTS
from schema import schema
from schema.columns import row_model

ONE_OF_EACH = """{
    country(code: "MY") { id
        embassies { id heads { id } }
        relations { id }
        events(first: 1) { nodes { id } }
    }
    people(first: 1) { nodes { id } }
    organizations(first: 1) { nodes { id } }
}"""


async def _one_id_of_each_type(data: GraphQL) -> list[str]:
    found = await data(ONE_OF_EACH)
    country = found["country"]
    return [
        country["id"],
        country["embassies"][0]["id"],
        country["embassies"][0]["heads"][0]["id"],
        country["relations"][0]["id"],
        country["events"]["nodes"][0]["id"],
        found["people"]["nodes"][0]["id"],
        found["organizations"]["nodes"][0]["id"],
    ]


async def test_every_node_type_round_trips_through_node(data: GraphQL) -> None:
    for global_id in await _one_id_of_each_type(data):
        found = await data("query($id: ID!) { node(id: $id) { __typename id } }", id=global_id)
        assert found["node"]["id"] == global_id


async def test_nodes_keeps_the_order_given_and_nulls_the_missing(data: GraphQL) -> None:
    ids = await _one_id_of_each_type(data)
    missing = "Q291bnRyeTo5OTk5OQ"  # Country:99999
    found = await data(
        "query($ids: [ID!]!) { nodes(ids: $ids) { id } }", ids=[*reversed(ids), missing]
    )
    assert [node and node["id"] for node in found["nodes"]] == [*reversed(ids), None]
    typenames = await data("query($ids: [ID!]!) { nodes(ids: $ids) { __typename } }", ids=ids)
    assert [node["__typename"] for node in typenames["nodes"]] == [
        "Country",
        "Mission",
        "HeadOfMission",
        "Relation",
        "Event",
        "Person",
        "Organization",
    ]


async def test_malformed_global_id_is_an_error_naming_the_argument(error: Failing) -> None:
    message = await error('{ node(id: "not an id") { id } }')
    assert "'id'" in message


async def test_id_of_an_unknown_type_is_null(data: GraphQL) -> None:
    unknown = "V2lkZ2V0OjE"  # Widget:1
    assert (await data("query($id: ID!) { node(id: $id) { id } }", id=unknown))["node"] is None


def test_the_kinds_are_the_node_types_each_holding_rows_of_its_model() -> None:
    node_types = {
        type_.name: row_model(type_.extensions["strawberry-definition"].origin)
        for type_ in schema._schema.type_map.values()
        if isinstance(type_, GraphQLObjectType) and "Node" in [i.name for i in type_.interfaces]
    }
    assert node_types == {kind.type_name: kind.model for kind in KINDS}
    # A participation has a column for each kind that can take part, besides its event's.
    columns = {c.name for c in table_of(models.Participation).c if c.foreign_keys}
    assert columns - {"event_id", "source_id"} == {f"{kind.name}_id" for kind in PARTICIPANTS}
