# Set-up and everyday commands. Every target creates what it needs first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: setup serve serve-mkdocs build test test-fast lint bench bench-checker runtime-modules lock chromium browsers clean mutation

setup: $(VENV)/.installed node_modules/.installed

$(VENV)/.installed: requirements.lock pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

# Debian's Chromium for the browser tests and the benchmarks, installed only when missing.
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium; }

# The three engines of the browser tests, from Debian's packages (no browser is downloaded):
# Chromium, Firefox ESR, and WebKitGTK (WebKitWebDriver, its MiniBrowser) on a virtual
# screen (Xvfb); installed only when missing.
browsers: chromium
	@{ command -v firefox-esr && command -v WebKitWebDriver && command -v Xvfb; } >/dev/null 2>&1 || { \
	  echo "Installing Debian's firefox-esr, webkit2gtk-driver and xvfb for the browser tests"; \
	  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
	    firefox-esr webkit2gtk-driver xvfb; }

# The built site as production serves it (precompressed files, CSP header, cache
# headers, service worker), rebuilt and reloaded when the sources change.
serve: setup
	$(BIN)/python -m sitegen.site_server --host $(HOST) --port $(PORT)

# MkDocs' own live-reload server: quicker for prose, but no CSP and no precompressed files.
serve-mkdocs: setup
	SITE_URL=http://$(HOST):$(PORT)/ NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs serve --strict -a $(HOST):$(PORT)

build: setup
	NO_MKDOCS_2_WARNING=1 $(BIN)/python -m sitegen.build

test: setup browsers
	$(BIN)/ruff check .
	NO_MKDOCS_2_WARNING=1 $(BIN)/pytest

test-fast: setup
	NO_MKDOCS_2_WARNING=1 $(BIN)/pytest -m "not browser"

lint: setup
	$(BIN)/ruff check .

bench: setup chromium
	NO_MKDOCS_2_WARNING=1 $(BIN)/python -m bench

bench-checker: setup chromium
	NO_MKDOCS_2_WARNING=1 $(BIN)/python -m bench.checker_timings

# Rewrite sitegen/runtime_modules.txt (the trimmed standard library) from a real run.
runtime-modules: setup
	$(BIN)/python -m sitegen.runtime update

# Exact pins and the SHA-256 of each file (pip then refuses bytes that differ); --all keeps
# setuptools and wheel, which the editable install needs.
lock:
	$(BIN)/pip freeze --all --exclude-editable | grep -v '^pip==' | sed '1i # Exact pins of every Python dependency (runtime, build and test), with their hashes. Regenerate with: make lock' > requirements.lock
	$(BIN)/python tools/lock_hashes.py requirements.lock

clean:
	rm -rf site site.next site.old .pytest_cache

# Mutation testing as a measured figure (bench/mutation.py, mutmut): each module of the
# checker and of the rules toolchain's checks and dates with its fast tests; prints the
# score per module beside its goal, every surviving mutant and the total time.
mutation: setup
	NO_MKDOCS_2_WARNING=1 $(BIN)/python -m bench.mutation
