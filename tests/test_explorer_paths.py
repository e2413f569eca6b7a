"""The explorer's page at each view's own address, so that a view can be shared and bookmarked."""

from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from server import explorer
from server.explorer import EXPLORER_DIR

PAGE = (EXPLORER_DIR / "index.html").read_text()


@pytest.mark.parametrize(
    "address",
    [
        "/",
        "/countries",
        "/country/NL",
        "/relation/BE/MY",
        "/person/UGVyc29uOjE",
        "/organization/T3JnYW5pemF0aW9uOjE",
        "/post/TWlzc2lvbjox",
        "/search?q=embassy",
    ],
)
async def test_each_view_address_serves_the_explorer_page(
    client: httpx.AsyncClient, address: str
) -> None:
    response = await client.get(address)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert response.text == PAGE


@pytest.mark.parametrize("address", ["/nowhere", "/country", "/relation/BE", "/country/NL/more"])
async def test_an_address_that_names_no_view_is_a_404(
    client: httpx.AsyncClient, address: str
) -> None:
    response = await client.get(address)
    assert response.status_code == 404


async def test_the_explorers_files_answer_304_to_their_etag(client: httpx.AsyncClient) -> None:
    first = await client.get("/explorer/js/map.js")
    assert first.status_code == 200 and first.headers["etag"]
    again = await client.get(
        "/explorer/js/map.js", headers={"If-None-Match": first.headers["etag"]}
    )
    assert again.status_code == 304


async def test_files_of_a_missing_assets_folder_answer_404(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Before `make assets` the map's and GraphiQL's folders do not exist: not found, not a 500.
    monkeypatch.setattr(explorer, "MAP_DIR", tmp_path / "map")
    monkeypatch.setattr(explorer, "GRAPHIQL_DIR", tmp_path / "graphiql")
    app = Starlette(routes=explorer.explorer_routes())
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://testserver"
    ) as client:
        for path in ("/static/map/countries-50m.json", "/static/graphiql/graphiql.min.js"):
            assert (await client.get(path)).status_code == 404
        (tmp_path / "map").mkdir()
        (tmp_path / "map" / "countries-50m.json").write_text("{}")
        assert (await client.get("/static/map/countries-50m.json")).status_code == 200
