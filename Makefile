# Each target sets up what it needs itself: a fresh machine needs only Python and the
# package registries (plus apt, as root, for chromium and PostgreSQL used by the tests).
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

AXE := .node/node_modules/axe-core/axe.min.js

.PHONY: demo test bench lint system-deps citation axe clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[web,ray,postgres,fast,dev]'
	touch $(STAMP)

.venv: $(STAMP)

# Debian's chromium (browser tests) and PostgreSQL (store tests on both backends).
system-deps:
	@command -v chromium >/dev/null && command -v /usr/lib/postgresql/*/bin/initdb >/dev/null \
	  || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium postgresql >/dev/null; }

# axe-core (accessibility scan of the explorer in the browser tests), from the npm registry.
$(AXE):
	npm install --prefix .node --no-audit --no-fund --silent axe-core@4

axe: $(AXE)

demo: $(STAMP)
	$(BIN)/scomodel members SCO --on 2005-07-06
	$(BIN)/scomodel report --out build/report

# cffconvert pins libraries the project needs newer, so it gets a venv of its own.
CFF := .venv-cff
$(CFF)/.installed:
	$(PY) -m venv $(CFF)
	$(CFF)/bin/pip install --quiet cffconvert
	touch $@

citation: $(CFF)/.installed
	$(CFF)/bin/cffconvert --validate -i CITATION.cff

test: $(STAMP) system-deps citation $(AXE)
	$(BIN)/ruff check src tests
	$(BIN)/mypy
	$(BIN)/pytest -q

bench: $(STAMP)
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) $(CFF) build .pytest_cache
