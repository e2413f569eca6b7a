// PostGraphile v5 over the benchmark database, as `make bench` runs it beside the API.
// DATABASE_URL and PORT come from bench/run.py; NODE_ENV=production.
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";
import { makePgService } from "postgraphile/adaptors/pg";
import { jsonPgSmartTags } from "postgraphile/utils";

// What the reference queries order by, beyond the indexed columns PostGraphile offers.
const sortable = { tags: { behavior: ["+orderBy"] } };
const tags = jsonPgSmartTags({
  version: 1,
  config: {
    attribute: { "mission.name": sortable },
    procedure: { head_of_mission_began: sortable, participation_event_date: sortable },
  },
});

/** @type {GraphileConfig.Preset} */
const preset = {
  extends: [PostGraphileAmberPreset],
  plugins: [tags],
  pgServices: [
    makePgService({
      connectionString: process.env.DATABASE_URL,
      schemas: ["public"],
      // Four connections, as the API and the floor have.
      poolConfig: { max: 4 },
    }),
  ],
  grafserv: { host: "127.0.0.1", port: Number(process.env.PORT ?? 5678), graphiql: false },
  grafast: { explain: false },
};

export default preset;
