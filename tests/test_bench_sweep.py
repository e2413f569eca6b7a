"""The sweep's choices and verdicts (bench/sweep.py): its values are drawn across busy and
quiet alike, and a query misses its goals when any value does."""

from __future__ import annotations

import random

from bench.floor import Floor
from bench.sweep import Swept, Value, _size_band, _spread, _summary


def test_values_are_drawn_from_every_third_of_the_ranking() -> None:
    ranked = list(range(90))
    drawn = _spread(ranked, 9, random.Random(27))
    assert len(drawn) == len(set(drawn)) == 9
    assert [sum(1 for n in drawn if n // 30 == third) for third in range(3)] == [3, 3, 3]
    assert _spread(ranked, 9, random.Random(27)) == drawn  # a fixed seed, the same values
    assert _spread(ranked[:5], 9, random.Random(27)) == ranked[:5]


def test_a_query_misses_its_goals_when_one_value_does() -> None:
    fast = [Value(f"v{n}", 1.0, 0.95, 1) for n in range(9)]
    assert _summary(Swept("q1", fast)).endswith("| yes |")
    # One value 6 ms slower than the floor's same value: the median is fine, the query is not.
    slow = Swept("q3", [*fast, Value("LK–TK", 7.0, 1.0, 1)])
    row = _summary(slow)
    assert row.endswith("| **no** |") and "+6.0 (`LK–TK`)" in row and "0.14 (`LK–TK`)" in row


def test_the_cost_per_object_compares_answers_of_one_size() -> None:
    # Most values of both scales list 64 to 127 objects: that band is compared.
    assert _size_band([[70, 100, 3], [90, 120, 1, 1]]) == (64, 127)


def test_the_floor_walks_by_date_only_for_two_busy_countries() -> None:
    floor = Floor("unused.db")
    floor.total = 100_000
    floor.events = {"BG": 49_494, "LI": 30_213, "LK": 1_853, "TK": 970}
    assert floor._q3(["BG", "LI"]) == ("q3", ["BG", "LI"])
    # From the quieter country's own events, that one first.
    assert floor._q3(["LK", "TK"]) == ("q3-start", ["TK", "LK"])
    assert floor._q3(["BG", "TK"]) == ("q3-start", ["TK", "BG"])
