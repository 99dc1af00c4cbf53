# Two commands do all the set-up on a fresh Debian machine with Python 3.11:
#   make serve   create the virtualenv, install, check, build and serve on 127.0.0.1:8000
#   make test    install test dependencies (and Debian's chromium, nodejs and npm when root), lint, run every test

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV   := .venv
BIN    := $(VENV)/bin
KB     ?= .
SITE   ?= site
ENGINE ?= mkdocs
ADDR   ?= 127.0.0.1:8000
PYTEST_ARGS ?=
N      ?= 1000
SEED   ?= 1
OUT    ?= build/synth-$(N)
NS     ?= 100 1000 10000
SEARCH_NS ?= 1000 10000
SEARCH_BASELINE ?= 775e622  # the last commit before issue 18 (the layout move): the index as it was
# search-bench's knowledge bases, sites and reports (sites of about 1 GB each at 10,000 claims)
SEARCH_OUT ?= build/search-bench

.PHONY: install check build serve test lint lint-js schema clean synth bench bench-check bench-serve bench-search-update publish-ids search-compare search-bench

$(BIN)/kb: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.test-deps: $(BIN)/kb
	$(BIN)/python -m pip install --quiet -e '.[test,bench,engines]'
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; \
	  else \
	    echo "Debian's chromium is missing: run 'sudo apt-get install chromium fonts-noto-cjk'"; \
	  fi; \
	fi
	touch $@

# The link-preview images need a Japanese font (Debian's fonts-noto-cjk); installed when root,
# otherwise `kb build` stops with a message saying what to install (or set KB_OG_IMAGES=off).
$(VENV)/.cjk-font: | $(BIN)/kb
	@if [ -n "$$KB_OG_FONT" ] || ls /usr/share/fonts/opentype/noto/NotoSansCJK-*.ttc >/dev/null 2>&1; then \
	  touch $@; \
	elif [ "$$(id -u)" = 0 ]; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fonts-noto-cjk >/dev/null && touch $@; \
	else \
	  echo "Debian's fonts-noto-cjk is missing (link-preview images): run 'sudo apt-get install fonts-noto-cjk'"; \
	fi

# axe-core, the accessibility checker the browser tests inject into pages (contrast, names,
# landmarks); from npm, kept under build/ and never loaded by a page of the site.
AXE_VERSION := 4.14.1
AXE := build/axe/node_modules/axe-core/axe.min.js
$(AXE):
	npm install --silent --prefix build/axe --no-save --no-audit --no-fund axe-core@$(AXE_VERSION)

install: $(BIN)/kb $(VENV)/.cjk-font

check: $(BIN)/kb
	$(BIN)/kb check --kb $(KB)

# ENGINE=properdocs or ENGINE=zensical builds with another engine (installed here on first use).
build: $(BIN)/kb $(VENV)/.cjk-font $(if $(filter-out mkdocs,$(ENGINE)),$(VENV)/.engines)
	$(BIN)/kb build --kb $(KB) --site-dir $(SITE) --engine $(ENGINE)

$(VENV)/.engines: $(BIN)/kb
	$(BIN)/python -m pip install --quiet -e '.[engines]'
	touch $@

serve: build
	KB_DIR=$(abspath $(KB)) $(BIN)/mkdocs serve --dev-addr $(ADDR)

test: lint $(VENV)/.cjk-font $(AXE)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.test-deps lint-js
	$(BIN)/ruff check scripts tests
	$(BIN)/mypy

# ESLint for the site's JavaScript (eslint.config.mjs), at the versions of package-lock.json, installed
# by `npm ci` into node_modules/; npm comes from Debian's nodejs and npm packages, installed when root.
NODE_DEPS := node_modules/.installed
$(NODE_DEPS): package.json package-lock.json
	@if ! command -v npm >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null; \
	  else \
	    echo "npm is missing (ESLint for the site's JavaScript): run 'sudo apt-get install nodejs npm'"; exit 1; \
	  fi; \
	fi
	npm ci --silent --no-audit --no-fund
	touch $@

lint-js: $(NODE_DEPS)
	node_modules/.bin/eslint --max-warnings 0 .

schema: $(BIN)/kb
	$(BIN)/kb schema

# A synthetic knowledge base of N claims for benchmarks: make synth N=2000 OUT=build/synth-2000
synth: $(BIN)/kb
	$(BIN)/python -m kb_bench.synth --claims $(N) --seed $(SEED) --out $(OUT)

$(VENV)/.bench-deps: $(BIN)/kb
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	touch $@

# Our build against a plain Material build of the same pages, for each N: make bench NS="100 1000"
# Prints the figures, writes build/bench/report.json and build/bench/chart.png.
bench: $(VENV)/.bench-deps
	$(BIN)/python -m kb_bench.bench --claims $(NS) --seed $(SEED) --out build/bench

# kb check of a knowledge base with a 5 MB transcript and the quotes that made checks slow, beside a
# plain load of it: make bench-check [CHECK_CLAIMS=1000]. Writes build/bench-check/report.json.
CHECK_CLAIMS ?= 1000
bench-check: $(BIN)/kb
	$(BIN)/python -m kb_bench.bench_check --claims $(CHECK_CLAIMS) --seed $(SEED) --out build/bench-check

# Edit-to-refresh under `make serve` (ours) beside plain `mkdocs serve` of the same pages, median of
# SERVE_REPEAT edits of each kind: make bench-serve [SERVE_NS="real 1000"]. Writes build/bench-serve/report.json.
SERVE_NS ?= real 1000
SERVE_REPEAT ?= 5
bench-serve: $(VENV)/.bench-deps
	$(BIN)/python -m kb_bench.bench_serve --claims $(SERVE_NS) --repeat $(SERVE_REPEAT) --seed $(SEED) --out build/bench-serve

# The search index after an edit: written whole beside updated for the changed documents only, CPU
# seconds and memory: make bench-search-update [SEARCH_UPDATE_NS="real 1000 10000"].
SEARCH_UPDATE_NS ?= real 1000 10000
bench-search-update: $(VENV)/.bench-deps
	$(BIN)/python -m kb_bench.bench_search_update --claims $(SEARCH_UPDATE_NS) --repeat 3 --seed $(SEED) --out build/bench-search-update

publish-ids: $(BIN)/kb
	$(BIN)/kb publish --kb $(KB)

# Pagefind (its npm package, which runs the extended build), latest release, installed here for
# search-compare only: `make clean` removes it and the next search-compare installs the latest again.
PAGEFIND := build/pagefind/node_modules/.bin/pagefind
$(PAGEFIND):
	@command -v npm >/dev/null || { echo "npm is missing: run 'sudo apt-get install npm'"; exit 1; }
	npm install --silent --no-audit --no-fund --no-save --prefix build/pagefind pagefind@latest
	$(PAGEFIND) --version

# Our search beside Material's stock search (lang: ja) and Pagefind on the same content, in headless
# Chromium: the queries of tests/search_queries.yaml and tests/search_reader_queries.yaml on the real
# site, per category. search-bench: index size and speed at SEARCH_NS claims.
search-compare: $(VENV)/.test-deps $(PAGEFIND)
	$(BIN)/python -m kb_bench.bench_search compare --pagefind $(PAGEFIND)

search-bench: $(VENV)/.test-deps
	$(BIN)/python -m kb_bench.bench_search --out $(SEARCH_OUT) scale --claims $(SEARCH_NS)
	$(BIN)/python -m kb_bench.bench_search --out $(SEARCH_OUT) --reuse index-cost --claims $(SEARCH_NS) --baseline $(SEARCH_BASELINE)

clean:
	rm -rf $(SITE) .site.* build test-artifacts .cache
