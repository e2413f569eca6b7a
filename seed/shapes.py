"""Writes the countries' shapes that the quality checks test posts' coordinates against
(db/data/country-shapes.json), from Natural Earth's countries as world-atlas ships them.

    npm ci && python -m seed.shapes node_modules/world-atlas/countries-50m.json

world-atlas (the explorer's map, package.json) gives each country as TopoJSON keyed by its
ISO 3166-1 numeric code; Kosovo, which has none, by its name. Each shape is decoded here,
simplified by shapely to within SIMPLIFIED degrees and rounded to DIGITS places, and written
as a GeoJSON geometry under the country's alpha-2 code. Shapes with no country code
(Somaliland, Northern Cyprus, the Siachen Glacier) are left out.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import MultiPolygon, Polygon, mapping

from db.countries import find_iso_country
from db.shapes import SHAPES

SIMPLIFIED = 0.02  # degrees: about two kilometres, well within TOLERANCE (db/shapes.py)
DIGITS = 2
_BY_NAME = {"Kosovo": "XK"}

Ring = list[tuple[float, float]]


def _arcs(topology: dict[str, Any]) -> list[Ring]:
    """The topology's arcs as absolute coordinates (they are quantized and delta-encoded)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _ring(arcs: list[Ring], indices: list[int]) -> Ring:
    points: Ring = []
    for index in indices:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]  # ~index: the arc reversed
        points.extend(arc if not points else arc[1:])
    return points


def _geometry(arcs: list[Ring], geometry: dict[str, Any]) -> MultiPolygon | None:
    polygons = [geometry["arcs"]] if geometry["type"] == "Polygon" else geometry.get("arcs", [])
    shapes = []
    for rings in polygons:
        outer, *holes = (_ring(arcs, ring) for ring in rings)
        if len(outer) >= 4:
            shapes.append(Polygon(outer, [hole for hole in holes if len(hole) >= 4]))
    return MultiPolygon(shapes) if shapes else None


def shapes(topology: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Each country's simplified shape as a GeoJSON geometry, by alpha-2 code."""
    arcs = _arcs(topology)
    parts: dict[str, list[MultiPolygon]] = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        country = find_iso_country(geometry["id"]) if "id" in geometry else None
        code = country.code if country else _BY_NAME.get(geometry["properties"]["name"])
        shape = _geometry(arcs, geometry)
        if code is not None and shape is not None:
            # Some codes have several shapes: Australia's and its Ashmore and Cartier Islands'.
            parts.setdefault(code, []).append(shape)
    found: dict[str, dict[str, Any]] = {}
    for code, shapes_of in parts.items():
        # Natural Earth's rings touch themselves here and there: made valid first, and again
        # once rounded (shapely's own grid snapping empties Australia).
        whole = shapely.union_all([shapely.make_valid(part) for part in shapes_of])
        simple = whole.simplify(SIMPLIFIED, preserve_topology=True)
        simple = shapely.make_valid(shapely.transform(simple, lambda xy: xy.round(DIGITS)))
        found[code] = mapping(simple)
    return dict(sorted(found.items()))


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    topology = json.loads(Path(argv[0]).read_text(encoding="utf-8"))
    found = shapes(topology)
    SHAPES.write_text(json.dumps(found, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"Wrote {SHAPES} ({len(found)} countries).")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
