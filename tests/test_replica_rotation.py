"""Which server a read goes to, decided from the replicas' last known state (no servers needed:
tests/test_replicas.py does the same against a real streaming replica)."""

from pathlib import Path

import pytest

from db.database import Database
from db.replicas import Replica, Replicas


def _database(name: str, folder: Path) -> Database:
    return Database.open(f"sqlite+aiosqlite:///{folder / name}.db", name=name)  # never connected


def _replica(name: str, folder: Path, *, in_rotation: bool = True, replayed: int = 0) -> Replica:
    return Replica(_database(name, folder), in_rotation, replayed)


@pytest.fixture
def replicas(tmp_path: Path) -> Replicas:
    return Replicas(
        _database("primary", tmp_path),
        [
            _replica("one", tmp_path, replayed=100),
            _replica("two", tmp_path, replayed=300),
            _replica("three", tmp_path, in_rotation=False, replayed=900),
        ],
    )


async def test_reads_go_to_the_replicas_in_rotation_in_turn(replicas: Replicas) -> None:
    chosen = [(await replicas.choose()).name for _ in range(4)]
    assert chosen == ["one", "two", "one", "two"]


async def test_with_every_replica_out_of_rotation_reads_go_to_the_primary(
    replicas: Replicas,
) -> None:
    for replica in replicas.replicas:
        replicas.take_out(replica.database, "a test")
    assert (await replicas.choose()).name == "primary"


async def test_a_position_sent_back_skips_replicas_not_yet_past_it(replicas: Replicas) -> None:
    assert {(await replicas.choose(after=200)).name for _ in range(3)} == {"two"}


async def test_a_position_no_replica_has_reached_is_read_on_the_primary(
    replicas: Replicas, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []

    async def still_at(self: Replica) -> int:
        asked.append(self.database.name)
        return self.replayed

    monkeypatch.setattr(Replica, "replay_position", still_at)
    assert (await replicas.choose(after=500)).name == "primary"
    assert len(asked) == 1  # one replica asked afresh, not all of them


async def test_a_replica_that_replayed_since_the_last_check_is_used(
    replicas: Replicas, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def caught_up(self: Replica) -> int:
        return 600

    monkeypatch.setattr(Replica, "replay_position", caught_up)
    chosen = await replicas.choose(after=500)
    [replica] = [replica for replica in replicas.replicas if replica.database is chosen]
    assert chosen.name in {"one", "two"} and replica.replayed == 600


def test_lag_is_how_long_ago_the_primary_passed_the_replay_position(replicas: Replicas) -> None:
    replicas._samples.extend([(10.0, 100), (11.0, 200), (12.0, 300)])
    assert replicas.lag(150, now=15.0) == 4.0  # the primary was past 150 from second 11
    assert replicas.lag(300, now=15.0) == 0.0  # nothing the primary wrote is missing
    assert replicas.lag(50, now=15.0) == 5.0
