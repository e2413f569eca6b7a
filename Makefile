# The one entry point for people and CI. `make help` lists the targets.
.DEFAULT_GOAL := help
VENV := .venv
PY := $(VENV)/bin/python
# The Python that creates .venv: 3.11 or newer (`make run PYTHON=python3.12` to pick one).
PYTHON ?= python3
STAMP := $(VENV)/.installed
# The optional extras, installed by the targets that need them: browser (Playwright), bench (py-spy).
BROWSER := $(VENV)/.installed-browser
BENCH := $(VENV)/.installed-bench
# GraphiQL's files and the explorer's map, copied from node_modules by `make assets`; the
# server serves them offline.
ASSETS := server/static/graphiql
MAP := server/static/map

.PHONY: help run test test-slow corpus check lint types fmt schema venv audit assets browser-test screenshots bench bench-sweep bench-world bench-noisy profile pgbouncer compose-config trusted-documents

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-13s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "$(PYTHON) is older than Python 3.11: make PYTHON=python3.11 (or newer)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

$(VENV)/.installed-%: $(STAMP)
	$(PY) -m pip install --quiet -e '.[dev,$*]'
	touch $@

venv: $(STAMP) ## create .venv and install the project with its dev tools (tests, ruff, mypy)

run: $(STAMP) ## serve the API on http://HOST:PORT/graphql (default 127.0.0.1:8000; seeds on first run)
	@# GraphiQL's files and the map come from npm once; without npm the server falls back to
	@# GraphiQL's CDN page and the explorer shows its views without maps.
	@if [ ! -f $(ASSETS)/graphiql.min.js ] || [ ! -f $(MAP)/countries-50m.json ]; then \
	  if command -v npm >/dev/null; then \
	    $(MAKE) --no-print-directory assets || echo "make assets failed: GraphiQL will load from a CDN, the explorer has no maps"; \
	  else echo "npm not found: GraphiQL will load from a CDN, the explorer has no maps (run make assets where npm is)"; fi; \
	fi
	$(VENV)/bin/bilateral serve

test: $(STAMP) ## run the tests, less those marked slow (on PostgreSQL: TEST_DATABASE_URL=postgresql+asyncpg://…)
	$(VENV)/bin/pytest -q -m "not slow" -n auto $(PYTEST_ARGS)

# The browser tests are slow too, and run by browser-test (they serve SQLite whatever the
# database of the other tests). The slow tests are spread over the cores too, a file to a
# worker, so that a module's costly fixture (a server pair, a PostgreSQL cluster) is made
# once; the loaded world is made once for the run (tests/conftest.py).
test-slow: $(STAMP) ## run the tests marked slow (servers in processes, the whole world, replicas, PgBouncer, Hypothesis) but the browser tests
	$(VENV)/bin/pytest -q -m slow --ignore=tests/browser -n auto --dist loadfile $(PYTEST_ARGS)

# Search cursors hold the database's rank: the corpus holds the requests sent on each.
corpus: $(STAMP) ## write tests/corpus.json afresh: every query the tests send (on SQLite, and PostgreSQL as TEST_DATABASE_URL says)
	rm -f tests/corpus.json
	env -u TEST_DATABASE_URL $(VENV)/bin/pytest -q --record-corpus
	TEST_DATABASE_URL=$${TEST_DATABASE_URL:-postgresql+asyncpg://postgres@127.0.0.1:5432/test} \
	  $(VENV)/bin/pytest -q --record-corpus

lint: $(STAMP) ## ruff: lint and formatting
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# The browser tests are type-checked too, against Playwright's types.
types: $(BROWSER) ## mypy --strict over every package, tests included
	$(VENV)/bin/mypy

check: lint types test ## lint, types and tests (less the slow ones)

fmt: $(STAMP) ## apply safe lint fixes, then format the code
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

schema: $(STAMP) ## write schema/schema.graphql from the code
	$(VENV)/bin/bilateral export-schema

trusted-documents: $(STAMP) ## write the explorer's operations as a trusted-documents manifest (explorer/trusted-documents.json, for BILATERAL_TRUSTED_DOCUMENTS)
	.venv/bin/python -m server.trusted

audit: $(STAMP) ## run the graphql-http audit (GraphQL over HTTP) against a served app
	tests/http_audit/run.sh

assets: ## install the pinned GraphiQL and map files (package-lock.json); copy them into server/static
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p $(MAP)
	cp node_modules/world-atlas/countries-110m.json node_modules/world-atlas/countries-50m.json \
	   node_modules/d3-array/dist/d3-array.min.js \
	   node_modules/d3-geo/dist/d3-geo.min.js \
	   node_modules/topojson-client/dist/topojson-client.min.js $(MAP)/
	mkdir -p $(ASSETS)
	cp node_modules/react/umd/react.production.min.js \
	   node_modules/react-dom/umd/react-dom.production.min.js \
	   node_modules/graphiql/graphiql.min.js node_modules/graphiql/graphiql.min.css $(ASSETS)/
	cp node_modules/@graphiql/plugin-explorer/dist/index.umd.js $(ASSETS)/plugin-explorer.umd.js
	cp node_modules/@graphiql/plugin-explorer/dist/style.css $(ASSETS)/plugin-explorer.css

browser-test: $(BROWSER) ## drive the explorer and GraphiQL in headless Chromium (/usr/bin/chromium; after make assets)
	BILATERAL_BROWSER_TESTS=required $(VENV)/bin/pytest -q tests/browser

screenshots: $(BROWSER) ## take the README's screenshots again (the NL, BE-MY and BE-US views) into docs/screenshots
	BILATERAL_BROWSER_TESTS=required $(VENV)/bin/pytest -q tests/browser/test_world_map.py \
	  tests/browser/test_history_views.py \
	  -k "draws_one_point_per_post or pair_view_maps or draw_the_64_heads"
	cp build/screenshots/country-netherlands.png build/screenshots/relation-belgium-malaysia.png \
	   build/screenshots/relation-belgium-united-states.png docs/screenshots/

bench: $(BENCH) ## benchmark the API against the floor (and PostGraphile, npm ci'd under bench/postgraphile, on PostgreSQL), then each query over many values (bench-sweep), then 2 processes on a replica (and a soak); writes bench/RESULTS.md and bench/plans/
	command -v wrk >/dev/null || (apt-get install -y -qq wrk || (apt-get update -qq && apt-get install -y -qq wrk))
	$(PY) -m bench.run
	$(PY) -m bench.q4_budget
	$(PY) -m bench.sweep
	$(PY) -m bench.scale

bench-sweep: $(BENCH) ## every reference query over many values, API against the floor on each (scales 1, 0.1, 4 and the world's data), the explorer's views and memory; the "Sweeps" section of bench/RESULTS.md
	$(PY) -m bench.sweep $(SWEEP)

pgbouncer: ## install PgBouncer (Debian's package) for the tests that run the app through it
	command -v pgbouncer >/dev/null || test -x /usr/sbin/pgbouncer || \
	  (apt-get install -y -qq pgbouncer || (apt-get update -qq && apt-get install -y -qq pgbouncer))

compose-config: ## check compose.yaml with `docker compose config` (where Docker is installed)
	@if command -v docker >/dev/null && docker compose version >/dev/null 2>&1; then \
	  docker compose -f compose.yaml config --quiet && echo "compose.yaml is valid"; \
	else echo "docker compose not found: compose.yaml not checked"; fi

bench-world: $(BENCH) ## time the world's posts (first start, import) and QW against its floor; writes bench/WORLD.md
	command -v wrk >/dev/null || (apt-get install -y -qq wrk || (apt-get update -qq && apt-get install -y -qq wrk))
	$(PY) -m bench.world

bench-noisy: $(BENCH) ## one client floods, another sends small queries: the second's latency, the 429s, the budgets' cost on Q4 (PostgreSQL on 127.0.0.1:5432); writes bench/NOISY.md
	$(VENV)/bin/python -m bench.noisy

profile: $(BENCH) ## flame graph of the API serving one reference query (Q4, the per-request overhead; Q=Q2 for another) under load; writes bench/profiles/
	command -v wrk >/dev/null || (apt-get install -y -qq wrk || (apt-get update -qq && apt-get install -y -qq wrk))
	$(PY) -m bench.profile --query $(or $(Q),Q4)
