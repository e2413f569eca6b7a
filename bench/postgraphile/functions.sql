-- The one function PostGraphile needs for Q3: the events two countries both took part in,
-- by date. PostGraphile exposes it as the root field benchPairEvents(a:, b:).
CREATE OR REPLACE FUNCTION bench_pair_events(a text, b text) RETURNS SETOF event
LANGUAGE sql STABLE AS $$
  SELECT v.* FROM event v
  WHERE EXISTS (SELECT 1 FROM event_country x
                WHERE x.event_id = v.id
                  AND x.country_id = (SELECT id FROM country WHERE code = upper(a)) OFFSET 0)
    AND EXISTS (SELECT 1 FROM event_country x
                WHERE x.event_id = v.id
                  AND x.country_id = (SELECT id FROM country WHERE code = upper(b)) OFFSET 0)
  ORDER BY v.date, v.id
$$;

-- PostGraphile orders only by its own columns: these two give it the API's orders for Q1
-- (a tenure by the earliest date known of it, undated ones last) and Q2 (a person's
-- participations by their event's date). Both are smart-tagged sortable in the config.
CREATE OR REPLACE FUNCTION head_of_mission_began(h head_of_mission) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT CASE WHEN h.start IS NULL THEN h.held_on WHEN h.held_on IS NULL THEN h.start
              WHEN h.held_on < h.start THEN h.held_on ELSE h.start END
$$;
CREATE OR REPLACE FUNCTION participation_event_date(p participation) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT date FROM event WHERE id = p.event_id
$$;
