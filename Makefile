# Entry points for contributors. Every target first makes sure .venv matches uv.lock.
# `make build SNIPPET_EXEC_FORCE=true` runs every snippet again, ignoring the cache.
# `make serve PORT=8001` serves on another port (HOST: another address).
# `make test PYTHON=python3.12 VENV=.venv-3.12` tests with another Python.

PYTHON ?= python3
UV_VERSION := 0.13.9
UV := .cache/uv-$(UV_VERSION)/bin/uv
VENV ?= .venv
BIN := $(VENV)/bin
export UV_PROJECT_ENVIRONMENT := $(VENV)
# The site generator: ProperDocs, the maintained continuation of MkDocs 1.x, which
# builds the same site. `make serve SITE_TOOL=mkdocs` builds with MkDocs 1.6 instead.
SITE_TOOL ?= properdocs
CONFIG := mkdocs.yml
HOST ?= 127.0.0.1
PORT ?= 8000
export UV_PYTHON_DOWNLOADS := never
# Compile the environment's bytecode when installing it: machines that set
# PYTHONDONTWRITEBYTECODE (many containers and CI images do) would otherwise
# compile numpy, scikit-learn and matplotlib from source in every process.
export UV_COMPILE_BYTECODE := 1
# The repository's address, for the pages' links to it: git's origin remote, when it
# is on the web (CI sets REPO_URL itself); pages link "Edit this page" there.
REPO_URL ?= $(shell git remote get-url origin 2>/dev/null \
	| sed -nE 's#^git@([^:]+):#https://\1/#; s#\.git$$##; /^https?:\/\//p')
EDIT_URI ?= $(if $(REPO_URL),edit/main/docs/,)
export REPO_URL EDIT_URI
# Builds are reproducible: dates in the site (sitemap) are the last commit's.
SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 0)
export SOURCE_DATE_EPOCH
# axe-core, which the browser tests inject into pages; installed when npm is here
# (without it, those tests are skipped and say so; under CI they fail).
AXE := node_modules/axe-core/axe.min.js

.PHONY: serve build test test-fast test-engine bench lint clean node_modules

# `python -m`: processes started from it import the module, not the script.
serve: $(VENV)/.synced
	$(BIN)/python -m $(SITE_TOOL) serve -f $(CONFIG) --dev-addr $(HOST):$(PORT) --livereload

# The serve address is checked before anything is set up or built: ProperDocs binds
# it only after the first build, and a busy one then ends in a traceback.
BIND := import socket, sys; s = socket.socket(); \
	s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); \
	s.bind((sys.argv[1], int(sys.argv[2])))
ifneq ($(filter serve,$(or $(MAKECMDGOALS),$(.DEFAULT_GOAL))),)
UNBOUND := $(shell $(PYTHON) -c '$(BIND)' '$(HOST)' '$(PORT)' 2>&1 | tail -n 1)
ifneq ($(UNBOUND),)
$(error make serve: cannot serve on $(HOST):$(PORT) ($(UNBOUND)): serve on another \
port with make serve PORT=8001 (or address: HOST=...))
endif
endif

build: $(VENV)/.synced
	@if [ -z "$$SITE_URL" ]; then echo "make build: SITE_URL is not set, so the site's \
	canonical links point to http://127.0.0.1:8000/; to publish, run \
	make build SITE_URL=https://where.it/is/published/"; fi
	$(BIN)/python -m $(SITE_TOOL) build -f $(CONFIG) --strict --clean

# The whole suite, tier by tier (unit, engine, snippets, site, notebooks, browser,
# lint; see tests/tiers.py), and the time of each tier at the end.
test: $(VENV)/.synced $(if $(shell command -v npm),$(AXE))
	$(BIN)/pytest

# The unit tier: the engine's parts on tiny inputs, in seconds (no build, no run).
test-fast: $(VENV)/.synced
	$(BIN)/pytest -m unit

# The unit and engine tiers: what CI runs on every Python (tiny builds, no site).
test-engine: $(VENV)/.synced
	$(BIN)/pytest -m "unit or engine"

# The serve loop's edits first (minutes), then fresh builds and the scale run (longer).
bench: $(VENV)/.synced
	$(BIN)/python benchmarks/serve_edits.py
	$(BIN)/python benchmarks/build_times.py
	$(BIN)/python benchmarks/scale.py

lint: $(VENV)/.synced
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

clean:
	rm -rf site .snippet-exec

node_modules: $(AXE)

# uv itself, pinned, installed from PyPI into a private folder.
$(UV):
	$(PYTHON) -m venv $(dir $(UV))..
	$(dir $(UV))pip install --quiet uv==$(UV_VERSION)

# The virtual environment, rebuilt from the lock file when it is missing or stale.
$(VENV)/.synced: uv.lock pyproject.toml Makefile | $(UV)
	$(UV) sync --locked --python $(PYTHON)
	touch $@

# The browser tests' npm tools, exactly as package-lock.json pins them.
$(AXE): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@
