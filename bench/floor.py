"""The floor: each reference query as one hand-written SQL statement that builds the whole JSON
answer inside SQLite, served by a bare Starlette route that returns the bytes as they come.

Nothing can answer the same question through HTTP much faster; the API is measured
against it. Run with `uvicorn bench.floor:app` and BENCH_DATABASE (a SQLite file path).
"""

from __future__ import annotations

import json
import os
from typing import Any

import aiosqlite
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from db import sqlite_driver

# Each statement yields one row, one column: {"data": …}, exactly as the API answers.
STATEMENTS = {
    "q1": """
        SELECT json_object('data', json_object('country', (
          SELECT json_object('embassies', (
            SELECT json_group_array(json(e.doc)) FROM (
              SELECT json_object('heads', (
                SELECT json_group_array(json(h.doc)) FROM (
                  SELECT json_object('start', h.start, 'end', h."end",
                                     'person', json_object('name', p.name)) AS doc
                  FROM head_of_mission h JOIN person p ON p.id = h.person_id
                  WHERE h.mission_id = m.id
                  ORDER BY coalesce(h.start, h.held_on) IS NULL, coalesce(h.start, h.held_on), h.id
                ) h)) AS doc
              FROM mission m WHERE m.country_id = c.id AND m.kind = 'EMBASSY'
              ORDER BY m.name, m.id
            ) e))
          FROM country c WHERE c.code = upper(:code))))
    """,
    "q2": """
        WITH
          countries AS (SELECT id, code FROM country ORDER BY code LIMIT 20),
          embassies AS (
            SELECT m.id, m.country_id, m.name FROM mission m JOIN countries c ON c.id = m.country_id
            WHERE m.kind = 'EMBASSY'),
          heads AS (
            SELECT h.* FROM head_of_mission h JOIN embassies m ON m.id = h.mission_id),
          firsts AS (
            SELECT person_id, json_group_array(json(doc)) AS docs FROM (
              SELECT pa.person_id,
                     json_object('event', json_object('title', v.title, 'date', v.date)) AS doc,
                     row_number() OVER (PARTITION BY pa.person_id ORDER BY v.date, pa.id) AS n
              FROM participation pa JOIN event v ON v.id = pa.event_id
              WHERE pa.person_id IN (SELECT person_id FROM heads)
              ORDER BY pa.person_id, v.date, pa.id)
            WHERE n <= 5 GROUP BY person_id),
          head_docs AS (
            SELECT mission_id, json_group_array(json(doc)) AS docs FROM (
              SELECT h.mission_id, json_object('person', json_object('participations',
                       json_object('nodes', json(coalesce(f.docs, '[]'))))) AS doc
              FROM heads h LEFT JOIN firsts f ON f.person_id = h.person_id
              ORDER BY h.mission_id, coalesce(h.start, h.held_on) IS NULL,
                       coalesce(h.start, h.held_on), h.id)
            GROUP BY mission_id),
          embassy_docs AS (
            SELECT country_id, json_group_array(json(doc)) AS docs FROM (
              SELECT m.country_id, json_object('heads', json(coalesce(d.docs, '[]'))) AS doc
              FROM embassies m LEFT JOIN head_docs d ON d.mission_id = m.id
              ORDER BY m.country_id, m.name, m.id)
            GROUP BY country_id)
        SELECT json_object('data', json_object('countries', json_object('nodes', (
          SELECT json_group_array(json(doc)) FROM (
            SELECT json_object('embassies', json(coalesce(e.docs, '[]'))) AS doc
            FROM countries c LEFT JOIN embassy_docs e ON e.country_id = c.id ORDER BY c.code)))))
    """,
    "q3": """
        WITH
          picked AS (
            SELECT v.id, v.date FROM event v
            WHERE EXISTS (SELECT 1 FROM event_country x JOIN country k ON k.id = x.country_id
                          WHERE x.event_id = v.id AND k.code = upper(:a))
              AND EXISTS (SELECT 1 FROM event_country x JOIN country k ON k.id = x.country_id
                          WHERE x.event_id = v.id AND k.code = upper(:b))
            ORDER BY v.date, v.id LIMIT 100),
          participant_docs AS (
            SELECT event_id, json_group_array(json(doc)) AS docs FROM (
              SELECT pa.event_id, json_object('role', pa.role, 'participant', json(CASE
                  WHEN pa.person_id IS NOT NULL THEN json_object('name', pe.name)
                  WHEN pa.organization_id IS NOT NULL THEN json_object('name', o.name)
                  WHEN pa.country_id IS NOT NULL THEN json_object('name', co.name)
                  ELSE json_object() END)) AS doc
              FROM participation pa JOIN picked k ON k.id = pa.event_id
              LEFT JOIN person pe ON pe.id = pa.person_id
              LEFT JOIN organization o ON o.id = pa.organization_id
              LEFT JOIN country co ON co.id = pa.country_id
              ORDER BY pa.event_id, pa.id)
            GROUP BY event_id)
        SELECT json_object('data', json_object('events', json_object('nodes', (
          SELECT json_group_array(json(doc)) FROM (
            SELECT json_object('participants', json(coalesce(p.docs, '[]'))) AS doc
            FROM picked k LEFT JOIN participant_docs p ON p.event_id = k.id
            ORDER BY k.date, k.id)))))
    """,
    "q4": """
        SELECT json_object('data', json_object('country', (
          SELECT json_object('name', name) FROM country WHERE code = upper(:code))))
    """,
}


class Floor:
    """One connection to the database, shared by the requests (SQLite runs them one at a time anyway)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.connection: aiosqlite.Connection | None = None

    async def answer(self, request: Request) -> Response:
        if self.connection is None:
            self.connection = await sqlite_driver.connect(self.path)  # the SQLite the API runs on
        variables: dict[str, Any] = (json.loads(await request.body()) or {}).get("variables") or {}
        statement = STATEMENTS[request.path_params["query"]]
        async with self.connection.execute(statement, variables) as cursor:
            row = await cursor.fetchone()
        assert row is not None
        return Response(row[0].encode(), media_type="application/json")


floor = Floor(os.environ.get("BENCH_DATABASE", "bench/data/scale-1.db"))
app = Starlette(routes=[Route("/{query}", floor.answer, methods=["POST"])])
