"""PostGraphile v5 beside the API in `make bench`: installed, started, and its answers put in the API's shape.

PostGraphile comes from npm by bench/postgraphile/package-lock.json, with Node 22 from the
npm package `node` (whatever Node the machine has), and runs with NODE_ENV=production over
the benchmark's PostgreSQL database. It needs three SQL functions there
(bench/postgraphile/functions.sql): the events of a pair of countries by date for Q3, and
two sortable computed columns that give it the API's orders for Q1 and Q2. Its queries are
bench/postgraphile/queries/*.graphql; `normalise` maps each answer onto the API's shape so
the same facts in the same order compare equal.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent / "postgraphile"
NODE = HERE / "node_modules" / ".bin" / "node"
CLI = HERE / "node_modules" / "postgraphile" / "dist" / "cli-run.js"


def install() -> None:
    """`npm ci` under bench/postgraphile, once per lock file."""
    stamp = HERE / "node_modules" / ".installed"
    lock = HERE / "package-lock.json"
    if stamp.exists() and stamp.stat().st_mtime >= lock.stat().st_mtime and NODE.exists():
        return
    subprocess.run(
        ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=HERE, check=True
    )
    stamp.touch()


def functions() -> str:
    """The SQL that creates the functions PostGraphile's queries use (idempotent)."""
    return (HERE / "functions.sql").read_text()


def command(dsn: str, port: int) -> tuple[list[str], dict[str, str]]:
    """How to start PostGraphile on a database: its arguments and environment."""
    env = {**os.environ, "NODE_ENV": "production", "DATABASE_URL": dsn, "PORT": str(port)}
    return [str(NODE), str(CLI), "-C", str(HERE / "graphile.config.mjs")], env


def query(q: str) -> str:
    """The text of a reference query in PostGraphile's schema (Q5 is Q1's)."""
    name = "q1" if q == "q5" else q
    return (HERE / "queries" / f"{name}.graphql").read_text()


def _nodes(connection: dict[str, Any]) -> list[Any]:
    nodes: list[Any] = connection["nodes"]
    return nodes


def _heads(mission: dict[str, Any]) -> list[dict[str, Any]]:
    return _nodes(mission["headOfMissionsByMissionId"])


def _embassies(country: dict[str, Any]) -> list[dict[str, Any]]:
    return _nodes(country["missionsByCountryId"])


def _q1(data: dict[str, Any]) -> dict[str, Any]:
    country = data["countryByCode"]
    if country is None:
        return {"country": None}
    embassies = [
        {
            "heads": [
                {
                    "start": h["start"],
                    "end": h["end"],
                    "person": {"name": h["personByPersonId"]["name"]},
                }
                for h in _heads(m)
            ]
        }
        for m in _embassies(country)
    ]
    return {"country": {"embassies": embassies}}


def _q2(data: dict[str, Any]) -> dict[str, Any]:
    def person(head: dict[str, Any]) -> dict[str, Any]:
        taken = _nodes(head["personByPersonId"]["participationsByPersonId"])
        events = [{"event": dict(p["eventByEventId"])} for p in taken]
        return {"person": {"participations": {"nodes": events}}}

    countries = [
        {"embassies": [{"heads": [person(h) for h in _heads(m)]} for m in _embassies(c)]}
        for c in _nodes(data["allCountries"])
    ]
    return {"countries": {"nodes": countries}}


def _q3(data: dict[str, Any]) -> dict[str, Any]:
    def participant(p: dict[str, Any]) -> dict[str, Any]:
        # The API's union: a person, organization or country; a mission matches no fragment.
        for key in ("personByPersonId", "organizationByOrganizationId", "countryByCountryId"):
            if p[key] is not None:
                return {"name": p[key]["name"]}
        return {}

    events = [
        {
            "participants": [
                {"role": p["role"], "participant": participant(p)}
                for p in _nodes(e["participationsByEventId"])
            ]
        }
        for e in _nodes(data["benchPairEvents"])
    ]
    return {"events": {"nodes": events}}


def _q4(data: dict[str, Any]) -> dict[str, Any]:
    country = data["countryByCode"]
    return {"country": None if country is None else {"name": country["name"]}}


def normalise(q: str, data: dict[str, Any]) -> dict[str, Any]:
    """PostGraphile's `data` for a reference query, in the shape of the API's."""
    shapes = {"q1": _q1, "q2": _q2, "q3": _q3, "q4": _q4, "q5": _q1}
    return shapes[q](data)
