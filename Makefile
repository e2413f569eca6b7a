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
# GraphiQL's files, copied from node_modules by `make assets`; the server serves them offline.
ASSETS := server/static/graphiql

.PHONY: help run test check lint types fmt schema venv audit assets browser-test bench bench-world profile

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
	@# GraphiQL's files come from npm once; without npm the server falls back to GraphiQL's CDN page.
	@if [ ! -f $(ASSETS)/graphiql.min.js ]; then \
	  if command -v npm >/dev/null; then \
	    $(MAKE) --no-print-directory assets || echo "make assets failed: GraphiQL will load from a CDN"; \
	  else echo "npm not found: GraphiQL will load from a CDN (run make assets where npm is)"; fi; \
	fi
	$(VENV)/bin/bilateral serve

test: $(STAMP) ## run the test suite
	$(VENV)/bin/pytest -q

lint: $(STAMP) ## ruff: lint and formatting
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# The browser tests are type-checked too, against Playwright's types.
types: $(BROWSER) ## mypy --strict over every package, tests included
	$(VENV)/bin/mypy

check: lint types test ## lint, types and tests

fmt: $(STAMP) ## apply safe lint fixes, then format the code
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

schema: $(STAMP) ## write schema/schema.graphql from the code
	$(VENV)/bin/bilateral export-schema

audit: $(STAMP) ## run the graphql-http audit (GraphQL over HTTP) against a served app
	tests/http_audit/run.sh

assets: ## install the pinned GraphiQL (package-lock.json) and copy its files into server/static/graphiql
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p $(ASSETS)
	cp node_modules/react/umd/react.production.min.js \
	   node_modules/react-dom/umd/react-dom.production.min.js \
	   node_modules/graphiql/graphiql.min.js node_modules/graphiql/graphiql.min.css $(ASSETS)/
	cp node_modules/@graphiql/plugin-explorer/dist/index.umd.js $(ASSETS)/plugin-explorer.umd.js
	cp node_modules/@graphiql/plugin-explorer/dist/style.css $(ASSETS)/plugin-explorer.css

browser-test: $(BROWSER) ## drive the explorer and GraphiQL in headless Chromium (/usr/bin/chromium; after make assets)
	BILATERAL_BROWSER_TESTS=required $(VENV)/bin/pytest -q tests/browser

bench: $(BENCH) ## benchmark the API against the one-statement floor under wrk; writes bench/RESULTS.md
	command -v wrk >/dev/null || (apt-get install -y -qq wrk || (apt-get update -qq && apt-get install -y -qq wrk))
	$(PY) -m bench.run

bench-world: $(BENCH) ## time the world's posts (first start, import) and QW against its floor; writes bench/WORLD.md
	command -v wrk >/dev/null || (apt-get install -y -qq wrk || (apt-get update -qq && apt-get install -y -qq wrk))
	$(PY) -m bench.world

profile: $(BENCH) ## flame graph of the API serving one reference query (Q=Q2) under load; writes bench/profiles/
	command -v wrk >/dev/null || (apt-get install -y -qq wrk || (apt-get update -qq && apt-get install -y -qq wrk))
	$(PY) -m bench.profile --query $(or $(Q),Q2)
