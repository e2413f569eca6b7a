"""The floor: each reference query as one hand-written SQL statement that builds the whole JSON
answer inside the database, served by a bare ASGI app that returns the bytes as they come.

Nothing can answer the same question through HTTP much faster; the API is measured
against it. Run with `uvicorn bench.floor:app --loop uvloop --http httptools` and
BENCH_DATABASE: a SQLite file path (run with the SQLite the API runs on) or a PostgreSQL
URL (asyncpg). On PostgreSQL each statement is prepared once per pooled connection (asyncpg's
statement cache) and a connection goes back to the pool without a reset round trip.
"""

from __future__ import annotations

import json
import os
from typing import Any

import asyncpg
from starlette.types import Receive, Scope, Send

from db.statements import SQLiteStatements

# A tenure's place in its post's list (db/orders.py): by the earliest date known of it, one
# known only by its end placed by that end, undated ones last.
_BEGAN = (
    "coalesce(CASE WHEN h.start IS NULL THEN h.held_on WHEN h.held_on IS NULL THEN h.start"
    ' WHEN h.held_on < h.start THEN h.held_on ELSE h.start END, h."end")'
)
TENURE_ORDER = f"({_BEGAN}) IS NULL, {_BEGAN}, h.id"


def _participant(build: str) -> str:
    """A participation's (`pa`) participant as JSON with its type name and name, `build` being
    the dialect's JSON object function: the name looked up only in the table its kind names
    (exactly one of the four is set)."""
    kinds = {
        "person": "Person",
        "country": "Country",
        "organization": "Organization",
        "mission": "Mission",
    }
    whens = " ".join(
        f"WHEN pa.{table}_id IS NOT NULL THEN {build}('__typename', '{name}', "
        f"'name', (SELECT name FROM {table} WHERE id = pa.{table}_id))"
        for table, name in kinds.items()
    )
    return f"CASE {whens} END"


PARTICIPANT_SQLITE = _participant("json_object")
PARTICIPANT_POSTGRESQL = _participant("json_build_object")

# Each statement yields one row, one column: the answer's `data`, as the API's compiled
# statements do; the route puts it in {"data": …} as bytes. (Wrapping it in the database
# costs PostgreSQL a copy of the whole JSON: 2-3 ms of Q1's 20.) SQLite's documents nest
# as they come from their subqueries, without `json()` to parse them again: the SQLite
# the API runs on keeps them marked as JSON (db.sqlite_driver.json_crosses_subqueries).
SQLITE = {
    "q1": f"""
        SELECT json_object('country', (
          SELECT json_object('embassies', ((
            SELECT json_group_array(json_object('heads', ((
              SELECT json_group_array(
                       json_object('start', h.start, 'end', h."end", 'person', json_object('name', p.name))
                       ORDER BY {TENURE_ORDER})
              FROM head_of_mission h JOIN person p ON p.id = h.person_id
              WHERE h.mission_id = m.id))) ORDER BY m.name, m.id)
            FROM mission m WHERE m.country_id = c.id AND m.kind = 'EMBASSY')))
          FROM country c WHERE c.code = upper(?)))
    """,
    "q2": f"""
        SELECT json_object('countries', json_object('nodes', ((
          SELECT json_group_array(json_object('embassies', ((
            SELECT json_group_array(json_object('heads', ((
              SELECT json_group_array(json_object('person', json_object('participations',
                       json_object('nodes', ((
                         SELECT json_group_array(
                                  json_object('event', json_object('title', f.title, 'date', f.date))
                                  ORDER BY f.date, f.id)
                         FROM (SELECT pa.id, x.title, x.date FROM participation pa
                               JOIN event x ON x.id = pa.event_id
                               WHERE pa.person_id = h.person_id ORDER BY x.date, pa.id LIMIT 5) f
                         ))))) ORDER BY {TENURE_ORDER})
              FROM head_of_mission h WHERE h.mission_id = m.id))) ORDER BY m.name, m.id)
            FROM mission m WHERE m.country_id = c.id AND m.kind = 'EMBASSY'))) ORDER BY c.code)
          FROM (SELECT id, code FROM country ORDER BY code LIMIT 20) c))))
    """,
    "q3": """
        SELECT json_object('events', json_object('nodes', ((
          SELECT json_group_array(json_object('participants', ((
            -- The participant's name looked up only in the table its kind names: cheaper
            -- than three outer joins per participation.
            SELECT json_group_array(json_object('role', pa.role, 'participant', (CASE
                WHEN pa.person_id IS NOT NULL THEN json_object('name', (SELECT name FROM person WHERE id = pa.person_id))
                WHEN pa.organization_id IS NOT NULL THEN json_object('name', (SELECT name FROM organization WHERE id = pa.organization_id))
                WHEN pa.country_id IS NOT NULL THEN json_object('name', (SELECT name FROM country WHERE id = pa.country_id))
                ELSE json_object() END)) ORDER BY pa.id)
            FROM participation pa
            WHERE pa.event_id = e.id))) ORDER BY e.date, e.id)
          FROM (SELECT v.id, v.date FROM event v
                WHERE EXISTS (SELECT 1 FROM event_country x
                              WHERE x.event_id = v.id
                                AND x.country_id = (SELECT id FROM country WHERE code = upper(?)))
                  AND EXISTS (SELECT 1 FROM event_country x
                              WHERE x.event_id = v.id
                                AND x.country_id = (SELECT id FROM country WHERE code = upper(?)))
                ORDER BY v.date, v.id LIMIT 100) e))))
    """,
    # Q3 for a pair with a quiet country: that country's events (its index), each probed
    # for the other, then sorted: a few hundred rows where the walk by date reads them all.
    "q3-start": """
        SELECT json_object('events', json_object('nodes', ((
          SELECT json_group_array(json_object('participants', ((
            SELECT json_group_array(json_object('role', pa.role, 'participant', (CASE
                WHEN pa.person_id IS NOT NULL THEN json_object('name', (SELECT name FROM person WHERE id = pa.person_id))
                WHEN pa.organization_id IS NOT NULL THEN json_object('name', (SELECT name FROM organization WHERE id = pa.organization_id))
                WHEN pa.country_id IS NOT NULL THEN json_object('name', (SELECT name FROM country WHERE id = pa.country_id))
                ELSE json_object() END)) ORDER BY pa.id)
            FROM participation pa
            WHERE pa.event_id = e.id))) ORDER BY e.date, e.id)
          FROM (SELECT v.id, v.date FROM event_country s JOIN event v ON v.id = s.event_id
                WHERE s.country_id = (SELECT id FROM country WHERE code = upper(?))
                  AND EXISTS (SELECT 1 FROM event_country x
                              WHERE x.event_id = s.event_id
                                AND x.country_id = (SELECT id FROM country WHERE code = upper(?)))
                ORDER BY v.date, v.id LIMIT 100) e))))
    """,
    "q4": """
        SELECT json_object('country', (
          SELECT json_object('name', name) FROM country WHERE code = upper(?)))
    """,
    "qw": """
        SELECT json_object('country', (
          SELECT json_object('hostedMissions', ((
            SELECT json_group_array(json_object(
                     'name', m.name, 'kind', m.kind, 'city', m.city,
                     'country', json_object('code', s.code, 'name', s.name),
                     'location', (CASE WHEN m.latitude IS NULL THEN NULL ELSE
                       json_object('latitude', m.latitude, 'longitude', m.longitude) END),
                     'accreditations', ((
                       -- Each target looked up only in the table its kind names: on SQLite
                       -- cheaper than three outer joins per accreditation.
                       SELECT json_group_array(json_object('target', (CASE
                           WHEN a.country_id IS NOT NULL
                             THEN json_object('__typename', 'Country',
                                              'code', (SELECT code FROM country WHERE id = a.country_id))
                           WHEN a.organization_id IS NOT NULL
                             THEN json_object('__typename', 'Organization',
                                              'name', (SELECT name FROM organization WHERE id = a.organization_id))
                           ELSE (SELECT json_object('__typename', 'Jurisdiction',
                                                    'name', j.name, 'wikidata', j.wikidata)
                                 FROM jurisdiction j WHERE j.id = a.jurisdiction_id) END))
                         ORDER BY a.id)
                       FROM accreditation a
                       WHERE a.mission_id = m.id)))
                   ORDER BY m.name, m.id)
            FROM mission m JOIN country s ON s.id = m.country_id
            WHERE m.host_country_id = c.id)))
          FROM country c WHERE c.code = upper(?)))
    """,
    "qh": f"""
        SELECT json_object('country', (
          SELECT json_object('hostedMissions', ((
            SELECT json_group_array(json_object(
                     'name', m.name, 'kind', m.kind,
                     'country', json_object('code', s.code),
                     'heads', ((
                       -- Heads by the first date known of each (db/orders.py), undated last.
                       SELECT json_group_array(json_object(
                                'title', h.title, 'start', h.start, 'end', h."end",
                                'person', json_object('name', p.name, 'born', p.born,
                                                      'died', p.died))
                              ORDER BY {TENURE_ORDER})
                       FROM head_of_mission h JOIN person p ON p.id = h.person_id
                       WHERE h.mission_id = m.id)))
                   ORDER BY m.name, m.id)
            FROM mission m JOIN country s ON s.id = m.country_id
            WHERE m.host_country_id = c.id)))
          FROM country c WHERE c.code = upper(?)))
    """,
    "qe": f"""
        SELECT json_object('relation', (
          WITH r AS (
            SELECT r.country_a_id, r.country_b_id, r.established, r.status
            FROM (SELECT (SELECT id FROM country WHERE code = upper(?)) AS one,
                         (SELECT id FROM country WHERE code = upper(?)) AS other) p
            JOIN relation r ON r.country_a_id = min(p.one, p.other) AND r.country_b_id = max(p.one, p.other)),
          -- The events of both countries, found once for the count and the page.
          shared AS MATERIALIZED (
            SELECT v.id, v.date, v.title, v.kind
            FROM r JOIN event_country x ON x.country_id = r.country_a_id
            JOIN event_country y ON y.event_id = x.event_id AND y.country_id = r.country_b_id
            JOIN event v ON v.id = x.event_id)
          SELECT json_object(
                   'established', r.established, 'status', r.status,
                   'events', json_object(
                     'totalCount', (SELECT count(*) FROM shared),
                     'nodes', ((
                       SELECT json_group_array(json_object(
                                'date', e.date, 'title', e.title, 'kind', e.kind,
                                'participants', ((
                                  SELECT json_group_array(json_object('role', pa.role, 'participant', ({PARTICIPANT_SQLITE}))
                                    ORDER BY pa.id)
                                  FROM participation pa WHERE pa.event_id = e.id)))
                              ORDER BY e.date, e.id)
                       FROM (SELECT * FROM shared ORDER BY date, id LIMIT 100) e))))
          FROM r))
    """,
}

POSTGRESQL = {
    "q1": f"""
        SELECT json_build_object('country', (
          SELECT json_build_object('embassies', (
            SELECT coalesce(json_agg(json_build_object('heads', (
              SELECT coalesce(json_agg(
                       json_build_object('start', h.start, 'end', h."end",
                                         'person', json_build_object('name', p.name))
                       ORDER BY {TENURE_ORDER}), '[]')
              FROM head_of_mission h JOIN person p ON p.id = h.person_id
              WHERE h.mission_id = m.id)) ORDER BY m.name, m.id), '[]')
            FROM mission m WHERE m.country_id = c.id AND m.kind = 'EMBASSY'))
          FROM country c WHERE c.code = upper($1)))::text
    """,
    "q2": f"""
        SELECT json_build_object('countries', json_build_object('nodes', (
          SELECT coalesce(json_agg(json_build_object('embassies', (
            SELECT coalesce(json_agg(json_build_object('heads', (
              SELECT coalesce(json_agg(json_build_object('person', json_build_object('participations',
                       json_build_object('nodes', (
                         SELECT coalesce(json_agg(
                                  json_build_object('event',
                                    json_build_object('title', f.title, 'date', f.date))
                                  ORDER BY f.date, f.id), '[]')
                         FROM (SELECT pa.id, x.title, x.date FROM participation pa
                               JOIN event x ON x.id = pa.event_id
                               WHERE pa.person_id = h.person_id ORDER BY x.date, pa.id LIMIT 5) f
                         )))) ORDER BY {TENURE_ORDER}), '[]')
              FROM head_of_mission h WHERE h.mission_id = m.id)) ORDER BY m.name, m.id), '[]')
            FROM mission m WHERE m.country_id = c.id AND m.kind = 'EMBASSY')) ORDER BY c.code), '[]')
          FROM (SELECT id, code FROM country ORDER BY code LIMIT 20) c)))::text
    """,
    "q3": """
        SELECT json_build_object('events', json_build_object('nodes', (
          SELECT coalesce(json_agg(json_build_object('participants', (
            -- The participant's name looked up only in the table its kind names: cheaper
            -- than three outer joins per participation (a hash of all countries each time).
            SELECT coalesce(json_agg(json_build_object('role', pa.role, 'participant', CASE
                WHEN pa.person_id IS NOT NULL THEN json_build_object('name', (SELECT name FROM person WHERE id = pa.person_id))
                WHEN pa.organization_id IS NOT NULL THEN json_build_object('name', (SELECT name FROM organization WHERE id = pa.organization_id))
                WHEN pa.country_id IS NOT NULL THEN json_build_object('name', (SELECT name FROM country WHERE id = pa.country_id))
                ELSE json_build_object() END) ORDER BY pa.id), '[]')
            FROM participation pa
            WHERE pa.event_id = e.id)) ORDER BY e.date, e.id), '[]')
          FROM (SELECT v.id, v.date FROM event v
                -- OFFSET 0 keeps each EXISTS a probe of the primary key for the event in hand:
                -- the events are walked by date and the walk stops at the 100th match, where
                -- a semi-join would read both countries' whole event lists and sort them.
                WHERE EXISTS (SELECT 1 FROM event_country x
                              WHERE x.event_id = v.id
                                AND x.country_id = (SELECT id FROM country WHERE code = upper($1))
                              OFFSET 0)
                  AND EXISTS (SELECT 1 FROM event_country x
                              WHERE x.event_id = v.id
                                AND x.country_id = (SELECT id FROM country WHERE code = upper($2))
                              OFFSET 0)
                ORDER BY v.date, v.id LIMIT 100) e)))::text
    """,
    "q3-start": """
        SELECT json_build_object('events', json_build_object('nodes', (
          SELECT coalesce(json_agg(json_build_object('participants', (
            SELECT coalesce(json_agg(json_build_object('role', pa.role, 'participant', CASE
                WHEN pa.person_id IS NOT NULL THEN json_build_object('name', (SELECT name FROM person WHERE id = pa.person_id))
                WHEN pa.organization_id IS NOT NULL THEN json_build_object('name', (SELECT name FROM organization WHERE id = pa.organization_id))
                WHEN pa.country_id IS NOT NULL THEN json_build_object('name', (SELECT name FROM country WHERE id = pa.country_id))
                ELSE json_build_object() END) ORDER BY pa.id), '[]')
            FROM participation pa
            WHERE pa.event_id = e.id)) ORDER BY e.date, e.id), '[]')
          FROM (SELECT v.id, v.date FROM event_country s JOIN event v ON v.id = s.event_id
                WHERE s.country_id = (SELECT id FROM country WHERE code = upper($1))
                  AND EXISTS (SELECT 1 FROM event_country x
                              WHERE x.event_id = s.event_id
                                AND x.country_id = (SELECT id FROM country WHERE code = upper($2)))
                ORDER BY v.date, v.id LIMIT 100) e)))::text
    """,
    "q4": """
        SELECT json_build_object('country', (
          SELECT json_build_object('name', name) FROM country WHERE code = upper($1)))::text
    """,
    "qw": """
        SELECT json_build_object('country', (
          SELECT json_build_object('hostedMissions', (
            SELECT coalesce(json_agg(json_build_object(
                     'name', m.name, 'kind', m.kind, 'city', m.city,
                     'country', json_build_object('code', s.code, 'name', s.name),
                     'location', CASE WHEN m.latitude IS NULL THEN NULL ELSE
                       json_build_object('latitude', m.latitude, 'longitude', m.longitude) END,
                     'accreditations', (
                       SELECT coalesce(json_agg(json_build_object('target', CASE
                           WHEN a.country_id IS NOT NULL
                             THEN json_build_object('__typename', 'Country', 'code', ac.code)
                           WHEN a.organization_id IS NOT NULL
                             THEN json_build_object('__typename', 'Organization', 'name', o.name)
                           ELSE json_build_object('__typename', 'Jurisdiction',
                                                  'name', j.name, 'wikidata', j.wikidata) END)
                         ORDER BY a.id), '[]')
                       FROM accreditation a
                       LEFT JOIN country ac ON ac.id = a.country_id
                       LEFT JOIN organization o ON o.id = a.organization_id
                       LEFT JOIN jurisdiction j ON j.id = a.jurisdiction_id
                       WHERE a.mission_id = m.id))
                   ORDER BY m.name, m.id), '[]')
            FROM mission m JOIN country s ON s.id = m.country_id
            WHERE m.host_country_id = c.id))
          FROM country c WHERE c.code = upper($1)))::text
    """,
    "qh": f"""
        SELECT json_build_object('country', (
          SELECT json_build_object('hostedMissions', (
            SELECT coalesce(json_agg(json_build_object(
                     'name', m.name, 'kind', m.kind,
                     'country', json_build_object('code', s.code),
                     'heads', (
                       SELECT coalesce(json_agg(json_build_object(
                                'title', h.title, 'start', h.start, 'end', h."end",
                                'person', json_build_object('name', p.name, 'born', p.born,
                                                            'died', p.died))
                              ORDER BY {TENURE_ORDER}), '[]')
                       FROM head_of_mission h JOIN person p ON p.id = h.person_id
                       WHERE h.mission_id = m.id))
                   ORDER BY m.name, m.id), '[]')
            FROM mission m JOIN country s ON s.id = m.country_id
            WHERE m.host_country_id = c.id))
          FROM country c WHERE c.code = upper($1)))::text
    """,
    "qe": f"""
        SELECT json_build_object('relation', (
          WITH r AS (
            SELECT r.country_a_id, r.country_b_id, r.established, r.status
            FROM relation r
            JOIN (SELECT (SELECT id FROM country WHERE code = upper($1)) AS one,
                         (SELECT id FROM country WHERE code = upper($2)) AS other) p
              ON r.country_a_id = least(p.one, p.other) AND r.country_b_id = greatest(p.one, p.other)),
          -- The events of both countries, found once for the count and the page: those of the
          -- first (the fewer, for Belgium and the US), each probed by primary key for the second.
          -- OFFSET 0 keeps it a probe a row: the planner, not knowing which country has the
          -- fewer, would hash all of the second's (8,700 for the US) for each use.
          shared AS MATERIALIZED (
            SELECT v.id, v.date, v.title, v.kind
            FROM r JOIN event_country x ON x.country_id = r.country_a_id
            JOIN event v ON v.id = x.event_id
            WHERE EXISTS (SELECT 1 FROM event_country y
                          WHERE y.event_id = x.event_id AND y.country_id = r.country_b_id OFFSET 0))
          SELECT json_build_object(
                   'established', r.established, 'status', r.status,
                   'events', json_build_object(
                     'totalCount', (SELECT count(*) FROM shared),
                     'nodes', (
                       SELECT coalesce(json_agg(json_build_object(
                                'date', e.date, 'title', e.title, 'kind', e.kind,
                                'participants', (
                                  SELECT coalesce(json_agg(json_build_object('role', pa.role, 'participant', {PARTICIPANT_POSTGRESQL})
                                    ORDER BY pa.id), '[]')
                                  FROM participation pa WHERE pa.event_id = e.id))
                              ORDER BY e.date, e.id), '[]')
                       FROM (SELECT * FROM shared ORDER BY date, id LIMIT 100) e)))
          FROM r))::text
    """,
}

# The explorer's country view (explorer/js/queries.js COUNTRY_VIEW, `lang` null): the posts
# a country keeps and those it hosts, and its relations with the events of each counted in
# one pass over the country's own events, grouped by the other countries in each.
SQLITE["country-view"] = """
    WITH c AS (SELECT id, code, name FROM country WHERE code = upper(?)),
    counted AS (
      SELECT y.country_id AS partner, count(*) AS n
      FROM c JOIN event_country x ON x.country_id = c.id
      JOIN event_country y ON y.event_id = x.event_id AND y.country_id <> c.id
      GROUP BY y.country_id)
    SELECT json_object('country', (SELECT json_object(
      'code', c.code, 'name', c.name,
      'missions', ((
        SELECT json_group_array(json_object(
                 'id', bilateral_base64url('Mission:' || m.id), 'kind', m.kind, 'name', m.name,
                 'city', m.city, 'opened', m.opened, 'closed', m.closed,
                 'location', (CASE WHEN m.latitude IS NULL THEN NULL ELSE
                   json_object('latitude', m.latitude, 'longitude', m.longitude) END),
                 'hostCountry', json_object('code', h.code, 'name', h.name),
                 'accreditations', ((
                   SELECT json_group_array(json_object('target', (CASE
                       WHEN a.country_id IS NOT NULL THEN (
                         SELECT json_object('__typename', 'Country', 'code', code, 'name', name)
                         FROM country WHERE id = a.country_id)
                       WHEN a.organization_id IS NOT NULL THEN (
                         SELECT json_object('__typename', 'Organization',
                                            'id', bilateral_base64url('Organization:' || id),
                                            'name', name)
                         FROM organization WHERE id = a.organization_id)
                       WHEN a.jurisdiction_id IS NOT NULL THEN (
                         SELECT json_object('__typename', 'Jurisdiction', 'name', name)
                         FROM jurisdiction WHERE id = a.jurisdiction_id) END)) ORDER BY a.id)
                   FROM accreditation a WHERE a.mission_id = m.id)))
               ORDER BY m.name, m.id)
        FROM mission m JOIN country h ON h.id = m.host_country_id WHERE m.country_id = c.id)),
      'hostedMissions', ((
        SELECT json_group_array(json_object(
                 'id', bilateral_base64url('Mission:' || m.id), 'kind', m.kind, 'name', m.name,
                 'city', m.city, 'opened', m.opened, 'closed', m.closed,
                 'location', (CASE WHEN m.latitude IS NULL THEN NULL ELSE
                   json_object('latitude', m.latitude, 'longitude', m.longitude) END),
                 'country', json_object('code', s.code, 'name', s.name))
               ORDER BY m.name, m.id)
        FROM mission m JOIN country s ON s.id = m.country_id WHERE m.host_country_id = c.id)),
      'relations', ((
        SELECT json_group_array(json_object(
                 'established', r.established, 'status', r.status, 'statusSince', r.status_since,
                 'countries', ((
                   SELECT json_group_array(json_object('code', code, 'name', name) ORDER BY code)
                   FROM country WHERE id IN (r.country_a_id, r.country_b_id))),
                 'events', json_object('totalCount', coalesce((
                   SELECT n FROM counted WHERE partner = (CASE WHEN r.country_a_id = c.id
                     THEN r.country_b_id ELSE r.country_a_id END)), 0)))
               ORDER BY r.id)
        FROM relation r WHERE r.country_a_id = c.id OR r.country_b_id = c.id)))
      FROM c))
"""

# PostgreSQL's global IDs: base64url without padding, as the API writes them.
_PG_ID = "rtrim(translate(encode(convert_to({} || {}, 'UTF8'), 'base64'), E'+/\\n', '-_'), '=')"
POSTGRESQL["country-view"] = f"""
    WITH c AS (SELECT id, code, name FROM country WHERE code = upper($1)),
    counted AS MATERIALIZED (
      SELECT y.country_id AS partner, count(*) AS n
      FROM c JOIN event_country x ON x.country_id = c.id
      JOIN event_country y ON y.event_id = x.event_id AND y.country_id <> c.id
      GROUP BY y.country_id)
    SELECT json_build_object('country', (SELECT json_build_object(
      'code', c.code, 'name', c.name,
      'missions', (
        SELECT coalesce(json_agg(json_build_object(
                 'id', {_PG_ID.format("'Mission:'", "m.id")}, 'kind', m.kind, 'name', m.name,
                 'city', m.city, 'opened', m.opened, 'closed', m.closed,
                 'location', CASE WHEN m.latitude IS NULL THEN NULL ELSE
                   json_build_object('latitude', m.latitude, 'longitude', m.longitude) END,
                 'hostCountry', json_build_object('code', h.code, 'name', h.name),
                 'accreditations', (
                   SELECT coalesce(json_agg(json_build_object('target', CASE
                       WHEN a.country_id IS NOT NULL THEN json_build_object(
                         '__typename', 'Country', 'code', ac.code, 'name', ac.name)
                       WHEN a.organization_id IS NOT NULL THEN json_build_object(
                         '__typename', 'Organization',
                         'id', {_PG_ID.format("'Organization:'", "o.id")}, 'name', o.name)
                       WHEN a.jurisdiction_id IS NOT NULL THEN json_build_object(
                         '__typename', 'Jurisdiction', 'name', j.name) END) ORDER BY a.id), '[]')
                   FROM accreditation a
                   LEFT JOIN country ac ON ac.id = a.country_id
                   LEFT JOIN organization o ON o.id = a.organization_id
                   LEFT JOIN jurisdiction j ON j.id = a.jurisdiction_id
                   WHERE a.mission_id = m.id))
               ORDER BY m.name, m.id), '[]')
        FROM mission m JOIN country h ON h.id = m.host_country_id WHERE m.country_id = c.id),
      'hostedMissions', (
        SELECT coalesce(json_agg(json_build_object(
                 'id', {_PG_ID.format("'Mission:'", "m.id")}, 'kind', m.kind, 'name', m.name,
                 'city', m.city, 'opened', m.opened, 'closed', m.closed,
                 'location', CASE WHEN m.latitude IS NULL THEN NULL ELSE
                   json_build_object('latitude', m.latitude, 'longitude', m.longitude) END,
                 'country', json_build_object('code', s.code, 'name', s.name))
               ORDER BY m.name, m.id), '[]')
        FROM mission m JOIN country s ON s.id = m.country_id WHERE m.host_country_id = c.id),
      'relations', (
        SELECT coalesce(json_agg(json_build_object(
                 'established', r.established, 'status', r.status, 'statusSince', r.status_since,
                 'countries', (
                   SELECT json_agg(json_build_object('code', code, 'name', name) ORDER BY code)
                   FROM country WHERE id IN (r.country_a_id, r.country_b_id)),
                 'events', json_build_object('totalCount', coalesce(k.n, 0)))
               ORDER BY r.id), '[]')
        FROM relation r
        LEFT JOIN counted k ON k.partner = CASE WHEN r.country_a_id = c.id
          THEN r.country_b_id ELSE r.country_a_id END
        WHERE r.country_a_id = c.id OR r.country_b_id = c.id))
      FROM c))::text
"""

# Events per country and in all, as one JSON document (SQLite, PostgreSQL).
COUNTED = {
    False: """
        SELECT json_object('events', (SELECT count(*) FROM event), 'countries', (
          SELECT json_group_object(c.code, n)
          FROM (SELECT country_id, count(*) AS n FROM event_country GROUP BY country_id) x
          JOIN country c ON c.id = x.country_id))
    """,
    True: """
        SELECT json_build_object('events', (SELECT count(*) FROM event), 'countries', (
          SELECT json_object_agg(c.code, n)
          FROM (SELECT country_id, count(*) AS n FROM event_country GROUP BY country_id) x
          JOIN country c ON c.id = x.country_id))::text
    """,
}

# The variables of each query, in the order the statements' parameters take them.
PARAMETERS = {
    "q1": ["code"],
    "q2": [],
    "q3": ["a", "b"],
    "q3-start": ["a", "b"],
    "q4": ["code"],
    "qw": ["code"],
    "qh": ["code"],
    "qe": ["a", "b"],
    "country-view": ["code"],
}
# Q5 is Q1 with a new code on every request: the same statement.
STATEMENTS = {"q5": "q1"}


class FloorConnection(asyncpg.Connection):  # type: ignore[misc]
    """A pooled connection that keeps its session when it goes back to the pool.

    asyncpg's default release runs `pg_advisory_unlock_all(); CLOSE ALL; UNLISTEN *;
    RESET ALL`, a round trip of four statements after every request; the floor takes no
    lock, opens no cursor, listens to nothing and changes no setting after start-up.
    """

    def get_reset_query(self) -> str:
        return ""


class Floor:
    """One SQLite connection (SQLite runs its statements one at a time anyway) or an asyncpg pool,
    both opened before the first request."""

    def __init__(self, database: str) -> None:
        self.database = database
        self.postgresql = database.startswith("postgresql")
        self.sqlite: SQLiteStatements | None = None
        self.pool: asyncpg.Pool | None = None
        # Events per country code, and all events, read at start: where Q3 begins (`_q3`).
        self.events: dict[str, int] = {}
        self.total = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """The whole server: POST /q1 … /q5, /qw, /qh and /qe, and start-up and shut-down. Plain
        ASGI, as the API's own way for a POST to /graphql is: no routing, no middleware, no
        request or response objects."""
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
            return
        body = b""
        more = True
        while more:
            message = await receive()
            body += message.get("body", b"")
            more = message.get("more_body", False)
        data = b'{"data":' + (await self.answer(scope["path"][1:], body)).encode() + b"}"
        headers = [(b"content-type", b"application/json"), (b"content-length", b"%d" % len(data))]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": data})

    async def _lifespan(self, receive: Receive, send: Send) -> None:
        await receive()  # lifespan.startup
        await self.open()
        await send({"type": "lifespan.startup.complete"})
        await receive()  # lifespan.shutdown
        await self.close()
        await send({"type": "lifespan.shutdown.complete"})

    async def open(self) -> None:
        if self.postgresql:
            # As the API's compiled statements run: four connections; JIT off for the session,
            # set in the start-up packet rather than by a statement.
            self.pool = await asyncpg.create_pool(
                self.database,
                min_size=4,
                max_size=4,
                connection_class=FloorConnection,
                server_settings={"jit": "off"},
            )
        else:
            # The API's own SQLite runner, its fastest way to a statement's answer: one
            # connection on a thread of its own, with the same page cache, each statement
            # kept prepared in sqlite3's cache after its first run.
            self.sqlite = SQLiteStatements(self.database)
            await self.sqlite.open()
        counted = json.loads(await self._run(COUNTED[self.postgresql], []))
        self.events = {code: int(count) for code, count in (counted["countries"] or {}).items()}
        self.total = int(counted["events"])

    async def close(self) -> None:
        if self.pool is not None:
            await self.pool.close()
        if self.sqlite is not None:
            await self.sqlite.close()

    async def answer(self, query: str, body: bytes) -> str:
        """The `data` JSON text of one reference query, for the variables in a request body;
        at /sql, of the statement and parameters the body gives (`sql`, `parameters`)."""
        sent: dict[str, Any] = json.loads(body) or {}
        if query == "sql":
            return await self._run(sent["sql"], sent.get("parameters") or [])
        variables: dict[str, Any] = sent.get("variables") or {}
        query = STATEMENTS.get(query, query)
        values = [variables[name] for name in PARAMETERS[query]]
        if query == "q3":
            query, values = self._q3(values)
        return await self._run((POSTGRESQL if self.postgresql else SQLITE)[query], values)

    def _q3(self, pair: list[Any]) -> tuple[str, list[Any]]:
        """Q3's statement for a pair: the walk by date when it is expected to find its 100
        events sooner than reading the quieter country's own (its events independent of
        the other's), else from the quieter country's events (`q3-start`, that one first)."""
        counts = [self.events.get(str(code).upper(), 0) for code in pair]
        share = (counts[0] / self.total) * (counts[1] / self.total) if self.total else 0.0
        walked = self.total if share == 0 else min(self.total, 100 / share)
        if min(counts) >= walked:
            return "q3", pair
        return "q3-start", pair if counts[0] <= counts[1] else pair[::-1]

    async def _run(self, sql: str, values: list[Any]) -> str:
        if self.pool is not None:
            # asyncpg prepares a statement on a connection's first use of its text and keeps
            # it in that connection's cache: later requests send only Bind and Execute.
            text: str = await self.pool.fetchval(sql, *values)
            return text
        assert self.sqlite is not None
        return await self.sqlite.text(sql, values)


app = Floor(os.environ.get("BENCH_DATABASE", "bench/data/scale-1.db"))
