"""The change feed: publishing never waits, and a subscriber that falls behind is cut off."""

import asyncio

import pytest

from db.feed import QUEUE_SIZE, Feed, FellBehind


async def test_publishing_never_waits_for_a_slow_subscriber() -> None:
    feed = Feed()
    async with feed.subscribe() as slow, feed.subscribe() as quick:
        for change_id in range(QUEUE_SIZE):
            feed.publish([change_id])
        assert [await quick.next() for _ in range(QUEUE_SIZE)] == list(range(QUEUE_SIZE))
        feed.publish(list(range(QUEUE_SIZE, QUEUE_SIZE * 2)))  # returns at once: nobody waits
        with pytest.raises(FellBehind):  # the slow one got 200 changes into room for 100
            await asyncio.wait_for(slow.next(), 1)
        assert await quick.next() == QUEUE_SIZE


async def test_a_subscription_leaves_the_feed_when_it_ends() -> None:
    feed = Feed()
    async with feed.subscribe():
        assert len(feed.subscribers) == 1
    assert feed.subscribers == set()
