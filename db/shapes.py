"""The countries' shapes (Natural Earth's, through world-atlas; written by `python -m seed.shapes`),
to tell whether a post's coordinates lie in the country it is said to be in."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from shapely import prepared
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry
from shapely.prepared import PreparedGeometry

SHAPES = Path(__file__).parent / "data" / "country-shapes.json"
# How far outside its shape a point may lie and still count as in the country, in degrees
# (about 25 km): the shapes are simplified, and small islands and enclaves may be missing.
TOLERANCE = 0.25


@cache
def _shapes() -> dict[str, PreparedGeometry[BaseGeometry]]:
    geometries = json.loads(SHAPES.read_text(encoding="utf-8"))
    return {code: prepared.prep(shape(geometry)) for code, geometry in geometries.items()}


def has_shape(code: str) -> bool:
    """Whether the shapes hold this country (some small territories have none)."""
    return code in _shapes()


def is_within(code: str, latitude: float, longitude: float) -> bool:
    """Whether a point lies in a country's shape or within TOLERANCE of it."""
    shape, point = _shapes()[code], Point(longitude, latitude)
    return bool(shape.contains(point) or shape.intersects(point.buffer(TOLERANCE)))


def countries_at(latitude: float, longitude: float) -> list[str]:
    """The codes of the countries whose shapes hold a point, or else lie within TOLERANCE of
    it (usually one; none far out at sea), those that hold it first."""
    point = Point(longitude, latitude)
    near = point.buffer(TOLERANCE)
    holding = sorted(code for code, found in _shapes().items() if found.contains(point))
    close = sorted(code for code, found in _shapes().items() if found.intersects(near))
    return holding + [code for code in close if code not in holding]
