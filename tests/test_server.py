"""The HTTP surface: GraphQL over POST and GET, GraphiQL, the health check."""

import httpx


async def test_healthz_answers_ok(client: httpx.AsyncClient) -> None:
    response = await client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


async def test_queries_work_over_get(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", params={"query": '{ country(code: "BE") { name } }'})
    assert response.status_code == 200
    assert response.json()["data"] == {"country": {"name": "Belgium"}}


async def test_a_browser_gets_graphiql(client: httpx.AsyncClient) -> None:
    response = await client.get("/graphql", headers={"Accept": "text/html"})
    assert response.status_code == 200 and "graphiql" in response.text.lower()


async def test_bad_arguments_give_a_clear_error_without_a_traceback(
    client: httpx.AsyncClient,
) -> None:
    response = await client.post(
        "/graphql", json={"query": "{ events(first: 1000) { totalCount } }"}
    )
    body = response.json()
    assert body["data"] is None
    assert body["errors"][0]["message"] == "Argument 'first' must be between 0 and 100; got 1000."
    assert "traceback" not in response.text.lower()
