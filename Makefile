# The one entry point for people and CI. `make help` lists the targets.
.DEFAULT_GOAL := help
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: help run test check lint types fmt schema venv audit

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-8s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP) ## create .venv and install the project with its dev tools

run: $(STAMP) ## serve the API on http://HOST:PORT/graphql (default 127.0.0.1:8000; seeds on first run)
	$(VENV)/bin/bilateral serve

test: $(STAMP) ## run the test suite
	$(VENV)/bin/pytest -q

lint: $(STAMP) ## ruff: lint and formatting
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

types: $(STAMP) ## mypy --strict over every package, tests included
	$(VENV)/bin/mypy

check: lint types test ## lint, types and tests

fmt: $(STAMP) ## apply safe lint fixes, then format the code
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

schema: $(STAMP) ## write schema/schema.graphql from the code
	$(VENV)/bin/bilateral export-schema

audit: $(STAMP) ## run the graphql-http audit (GraphQL over HTTP) against a served app
	tests/http_audit/run.sh
