"""Compiled execution: which path answers, at what cost, and what happens when it fails."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from conftest import ClientFor, GraphQL, StatementCounter
from databases import ON_POSTGRESQL
from graphql import GraphQLObjectType, OperationDefinitionNode
from starlette.applications import Starlette

from db import sqlite_driver
from db.partial_date import PartialDate
from db.statements import Statements
from schema.compiled.compiler import Build
from schema.compiled.plans import Plan, Plans
from server.settings import Settings


def _operation(app: Starlette, query: str) -> OperationDefinitionNode:
    """The operation a query's cached document holds, as the plan cache keys it."""
    document = app.state.operations.prepare(query).document
    assert document is not None
    operation: OperationDefinitionNode = app.state.operations.operation(document, None)
    return operation


EMBASSIES = '{ country(code: "MY") { embassies { name heads { person { name } } } } }'


async def _post(client: httpx.AsyncClient, query: str, **variables: Any) -> httpx.Response:
    response = await client.post("/graphql", json={"query": query, "variables": variables})
    assert response.status_code == 200, response.text
    return response


async def test_a_query_is_one_statement_and_says_so(
    client: httpx.AsyncClient, statements: StatementCounter
) -> None:
    response = await _post(client, EMBASSIES)
    assert response.headers["x-bilateral-execution"] == "compiled"
    assert statements.count == 1
    embassies = response.json()["data"]["country"]["embassies"]
    assert [embassy["name"] for embassy in embassies] == ["Embassy of Malaysia, Brussels"]


# References the statement does not look up again: read from the foreign key where only the
# id is asked for (null where the key is not set), or from the page that joined their rows.
REFERENCES = """{
  country(code: "MY") { embassies { heads { person { __typename id
    participations(first: 3) {
      nodes { role event { title date place { country { name } } } }
      edges { node { event { id } } }
    } } } } }
  organizations(first: 20) { nodes { name country { id } } }
}"""


async def test_references_from_a_key_or_a_page_answer_as_the_resolvers_do(
    client: httpx.AsyncClient, data: GraphQL
) -> None:
    response = await _post(client, REFERENCES)
    assert response.headers["x-bilateral-execution"] == "compiled"
    found = await data(REFERENCES)  # and the resolvers' answer is the same, byte for byte
    heads = [head for embassy in found["country"]["embassies"] for head in embassy["heads"]]
    first = heads[0]["person"]["participations"]
    assert first["nodes"][0]["event"]["title"] == "Malaysia opens its embassy in Brussels"
    assert first["edges"][0]["node"]["event"]["id"]
    countries = [node["country"] for node in found["organizations"]["nodes"]]
    assert None in countries and any(countries)


async def test_a_reference_that_reads_more_than_its_key_is_built_once(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A person read for a list and then a name: built from the key, that fails at the name.
    query = """{ country(code: "MY") { embassies { heads {
      person { participations(first: 2) { nodes { role event { title } } } name }
    } } } }"""
    built: list[str] = []
    row_object = Build.row_object

    def counted(build: Build, type_: GraphQLObjectType, row: Any, details: Any) -> Any:
        built.append(type_.name)
        return row_object(build, type_, row, details)

    monkeypatch.setattr(Build, "row_object", counted)
    response = await _post(client, query)
    assert response.headers["x-bilateral-execution"] == "compiled"
    assert response.json()["data"]["country"]["embassies"][0]["heads"][0]["person"]["name"]
    assert built.count("Person") == 1
    assert built.count("Participation") == 1


async def test_what_the_compiler_does_not_cover_goes_to_the_resolvers(
    client: httpx.AsyncClient,
) -> None:
    response = await _post(client, "{ qualityIssueCounts { kind count } }")
    assert response.headers["x-bilateral-execution"] == "resolvers"
    assert response.json()["data"]["qualityIssueCounts"]


async def test_a_bad_argument_is_answered_by_the_resolvers_in_their_words(
    client: httpx.AsyncClient,
) -> None:
    response = await _post(client, "{ events(first: 101) { totalCount } }")
    assert response.headers["x-bilateral-execution"] == "resolvers"
    message = response.json()["errors"][0]["message"]
    assert message == "Argument 'first' must be between 0 and 100; got 101."


async def test_a_repeated_request_reuses_its_plan(
    app: Starlette, client: httpx.AsyncClient
) -> None:
    plans: Plans = app.state.operations.plans
    query = "query One($code: String!) { country(code: $code) { name } }"
    made = len(plans)
    for _ in range(3):
        await _post(client, query, code="BE")
    assert len(plans) == made + 1
    await _post(client, query, code="MY")  # other values, another plan
    assert len(plans) == made + 2


ROLES = """query Roles($role: String) {
  events(first: 3) { nodes { participants(role: $role) { role } } }
}"""


async def test_values_are_bound_to_the_sql_their_shape_compiled_once(
    app: Starlette, client: httpx.AsyncClient
) -> None:
    plans: Plans = app.state.operations.plans
    await _post(client, ROLES, role="Prime Minister")
    compilations = plans.compilations
    hostile = "x'); DROP TABLE event; --"
    for role in (hostile, "Straße", "prime minister"):
        response = await _post(client, ROLES, role=role)
        assert response.headers["x-bilateral-execution"] == "compiled"
        plan = plans.cached(plans.key(_operation(app, ROLES), {"role": role}))
        assert plan is not None
        sql, parameters = plan.bound()
        assert role.casefold() in parameters  # folded once, in Python, and bound
        assert role not in sql and role.casefold() not in sql
    assert plans.compilations == compilations  # one shape, one SQL compilation
    await _post(client, ROLES)  # no role: another shape
    assert plans.compilations == compilations + 1


async def test_countries_are_bound_by_their_row_ids(
    app: Starlette, client: httpx.AsyncClient
) -> None:
    # So that PostgreSQL plans with what it knows of those two countries' events.
    plans: Plans = app.state.operations.plans
    query = """query Pair($a: String!, $b: String!) {
      events(first: 2, filter: {countries: [$a, $b]}) { totalCount nodes { title } } }"""
    compilations = plans.compilations
    for a, b in (("be", "MY"), ("MY", "BE")):
        response = await _post(client, query, a=a, b=b)
        assert response.headers["x-bilateral-execution"] == "compiled"
        assert response.json()["data"]["events"]["totalCount"] > 0
    assert plans.compilations == compilations + 1  # one shape for both pairs
    plan = plans.cached(plans.key(_operation(app, query), {"a": "be", "b": "MY"}))
    assert plan is not None
    sql, parameters = plan.bound()
    ids = plans.compiler.countries
    assert ids["BE"] in parameters and ids["MY"] in parameters
    assert "country.code" not in sql
    if not ON_POSTGRESQL:
        # SQLite would plan the statement again at every run for a bare parameter there.
        assert "country_id = CAST(? AS INTEGER)" in sql and "LIMIT CAST(? AS INTEGER)" in sql


async def test_today_is_taken_when_a_kept_plan_runs(
    app: Starlette, client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    query = '{ country(code: "MY") { embassies { head { person { name } } } } }'
    plans: Plans = app.state.operations.plans
    now = (await _post(client, query)).json()["data"]["country"]["embassies"]
    assert now[0]["head"] is not None
    kept = len(plans)
    monkeypatch.setattr(PartialDate, "today", classmethod(lambda cls: PartialDate("1900")))
    then = (await _post(client, query)).json()["data"]["country"]["embassies"]
    assert len(plans) == kept  # the same plan answered, for another day
    assert then[0]["head"] is None


async def test_a_failing_statement_falls_back_to_the_resolvers(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def broken(
        self: Plans, plan: Plan, statements: Statements | None = None, timeout: float = 30
    ) -> str:
        raise RuntimeError("the statement failed")

    monkeypatch.setattr(Plans, "answer", broken)
    response = await _post(client, EMBASSIES)
    assert response.headers["x-bilateral-execution"] == "resolvers"
    assert response.json()["data"]["country"]["embassies"][0]["heads"][0] == {
        "person": {"name": "Peter Stephen Lai"}
    }


async def test_compiled_execution_can_be_switched_off(client_for: ClientFor) -> None:
    assert Settings.from_env({"BILATERAL_COMPILED": "off"}).compiled is False
    assert Settings.from_env({}).compiled is True
    async with client_for(compiled=False) as client:
        response = await _post(client, EMBASSIES)
        assert response.headers["x-bilateral-execution"] == "resolvers"


NESTED = """{ country(code: "MY") { embassies { name heads { person {
    name participations(first: 2) { nodes { role event { title date } } } } } } } }"""


@pytest.mark.skipif(ON_POSTGRESQL, reason="how SQLite nests the JSON of subqueries")
async def test_sqlite_documents_nest_without_being_parsed_again(
    app: Starlette,
    client: httpx.AsyncClient,
    client_for: ClientFor,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # This install's SQLite keeps a subquery's JSON marked as JSON, so no level is re-parsed.
    assert sqlite_driver.json_crosses_subqueries
    response = await _post(client, NESTED)
    assert response.headers["x-bilateral-execution"] == "compiled"
    plan = app.state.operations.plans.cached(Plans.key(_operation(app, NESTED), {}))
    assert "json((" not in plan.bound()[0]
    # One that did not would re-mark every document read from a subquery, to the same answer.
    monkeypatch.setattr(sqlite_driver, "json_crosses_subqueries", False)
    async with client_for() as remarking:
        again = await _post(remarking, NESTED)
        assert again.headers["x-bilateral-execution"] == "compiled"
    assert again.json()["data"] == response.json()["data"]
    [embassy] = response.json()["data"]["country"]["embassies"]
    assert embassy["heads"][0]["person"]["participations"]["nodes"][0]["event"]["title"]


def _objects_in(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + sum(_objects_in(item) for item in value.values())
    if isinstance(value, list):
        return sum(_objects_in(item) for item in value)
    return 0


async def test_only_statements_that_page_are_planned_for_each_run(
    app: Starlette, client: httpx.AsyncClient
) -> None:
    plans: Plans = app.state.operations.plans
    lookups = '{ country(code: "MY") { name embassies { name heads { person { name } } } } }'
    paged = '{ country(code: "MY") { events(first: 3) { nodes { title } } } }'
    for query, stable in ((lookups, True), (paged, False)):
        response = await _post(client, query)
        assert response.headers["x-bilateral-execution"] == "compiled"
        plan = plans.cached(Plans.key(_operation(app, query), {}))
        assert plan is not None and plan.stable is stable
    if ON_POSTGRESQL:  # and each goes to sessions set up for it
        mode = "SELECT current_setting('plan_cache_mode')"
        statements: Statements = plans.statements
        assert await statements.text(mode, stable=True) == "auto"
        assert await statements.text(mode, stable=False) == "force_custom_plan"


async def test_returned_objects_count_the_empty_ones_a_plan_may_hold(
    app: Starlette, client: httpx.AsyncClient
) -> None:
    # Participants that are not people select nothing here: they come back as `{}`.
    people = "{ events(first: 20) { nodes { participants { participant { ... on Person { name } } } } } }"
    plain = '{ country(code: "MY") { name embassies { name } } }'
    plans: Plans = app.state.operations.plans
    for query, empties in ((people, True), (plain, False)):
        response = await _post(client, query)
        assert response.headers["x-bilateral-execution"] == "compiled"
        body = response.json()
        returned = body["extensions"]["cost"]["returnedObjects"]
        assert returned == _objects_in(body["data"]) - 1
        plan = plans.cached(Plans.key(_operation(app, query), {}))
        assert plan is not None and plan.empties is empties
    assert "{}" in (await _post(client, people)).text


async def test_the_events_of_a_quiet_country_begin_at_its_own(
    app: Starlette, data: GraphQL
) -> None:
    # On SQLite, which plans one way for every value: a list of the events of two countries
    # reads the quieter one's own events, unless walking all events by date until a page
    # of them is expected to cost less (the countries' counts are read at start).
    plans: Plans = app.state.operations.plans
    compiler = plans.compiler
    assert compiler.events > 0 and compiler.country_events
    begins = "event.id IN (SELECT event_country.event_id"

    async def sql(first: int) -> str:
        query = f"""query Pair($a: String!, $b: String!) {{
          events(first: {first}, filter: {{countries: [$a, $b]}}) {{ nodes {{ title date }} }} }}"""
        assert (await data(query, a="BE", b="MY"))["events"]["nodes"]
        plan = plans.cached(plans.key(_operation(app, query), {"a": "BE", "b": "MY"}))
        assert plan is not None
        return plan.bound()[0]

    if ON_POSTGRESQL:  # PostgreSQL plans each run for its values itself
        assert begins not in await sql(5)
        return
    assert begins in await sql(5)
    # Were both countries in every event, the walk would find its page at once.
    compiler.country_events = dict.fromkeys(compiler.country_events, compiler.events)
    assert begins not in await sql(6)


async def test_a_relations_events_begin_at_its_quieter_country(
    app: Starlette, data: GraphQL
) -> None:
    # Where a country is in more than a tenth of all events, a relation's events are read
    # from its other country's, each probed for the busy one; the answer is the same.
    plans: Plans = app.state.operations.plans
    compiler = plans.compiler

    async def sql(first: int) -> str:
        query = f"""{{ relation(between: ["BE", "MY"]) {{
          events(first: {first}) {{ totalCount nodes {{ title }} }} }} }}"""
        assert (await data(query))["relation"]["events"]["totalCount"] > 0
        plan = plans.cached(plans.key(_operation(app, query), None))
        assert plan is not None
        return plan.bound()[0]

    compiler.country_events = dict.fromkeys(compiler.country_events, 1)
    compiler.country_events[compiler.countries["BE"]] = compiler.events
    assert "CASE WHEN" in await sql(3)
    compiler.country_events = dict.fromkeys(compiler.country_events, 1)  # none busy
    assert "CASE WHEN" not in await sql(4)
