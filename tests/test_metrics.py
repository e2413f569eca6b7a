"""What /metrics shows besides requests: open subscriptions and the imported datasets."""

import asyncio
from pathlib import Path

import httpx
import pytest
from conftest import listening
from releases import BELGIUM_IN_KUALA_LUMPUR, MALAYSIA_IN_BRUSSELS, import_posts
from sockets import Subscriber

from server.settings import Settings

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def samples(text: str) -> Samples:
    """A scrape's samples by name and labels, parsed as Prometheus parses them."""
    from prometheus_client.parser import text_string_to_metric_families

    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


async def _scrape(base: str) -> Samples:
    async with httpx.AsyncClient(base_url=base, timeout=30) as http:
        response = await http.get("/metrics")
        assert response.status_code == 200
        return samples(response.text)


OPEN = ("bilateral_subscriptions_open", ())


async def test_open_subscriptions_are_counted_while_they_last(database_url: str) -> None:
    settings = Settings(database_url=database_url, seed_world=False)
    async with listening(settings) as base:
        assert (await _scrape(base))[OPEN] == 0
        query = 'subscription { eventAdded(countries: ["MY"]) { title } }'
        async with Subscriber(base, query), Subscriber(base, query):
            assert (await _scrape(base))[OPEN] == 2
        # The server notices the sockets closed on its own time.
        for _ in range(50):
            if (await _scrape(base))[OPEN] == 0:
                break
            await asyncio.sleep(0.1)
        assert (await _scrape(base))[OPEN] == 0


async def test_a_scrape_reads_what_each_import_brought(
    database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    settings = Settings(database_url=database_url, seed_world=False)
    async with listening(settings) as base:
        before = await _scrape(base)
        assert not [name for name, _ in before if name == "bilateral_dataset_records"]
        await import_posts(
            database_url, monkeypatch, tmp_path, BELGIUM_IN_KUALA_LUMPUR, MALAYSIA_IN_BRUSSELS
        )
        after = await _scrape(base)
    posts = ("bilateral_dataset_records", (("counted", "posts"), ("dataset", "wikidata-missions")))
    assert after[posts] == 2
