# Accord's two commands: `make run` and `make test`. Everything else is for contributors.

PYTHON ?= $(shell command -v python3.12 2>/dev/null || command -v python3 2>/dev/null)
VENV := .venv
BIN := $(VENV)/bin
UV_VERSION := 0.13.9
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: run test install lint format typecheck ci system chromium vendor clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 12), "Accord needs Python 3.12 or newer (found %s). Install it, or run: make PYTHON=/path/to/python3.12" % sys.version.split()[0]'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.installed: $(BIN)/python pyproject.toml uv.lock
	$(BIN)/uv sync --frozen --quiet
	@touch $@

install: $(VENV)/.installed

# Local defaults: DEBUG on, the embedded SQLite database in var/, the database task queue.
run: export DEBUG ?= true
run: install
	$(BIN)/accord migrate --verbosity 0
	$(BIN)/accord demo
	$(BIN)/accord run

# Debian packages the tests need: the browser, and Pango/HarfBuzz for WeasyPrint's PDFs.
SYSTEM_PACKAGES := chromium libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0

system:
	@if ! dpkg -s $(SYSTEM_PACKAGES) >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    echo "Installing $(SYSTEM_PACKAGES)…"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(SYSTEM_PACKAGES) >/dev/null; \
	  else \
	    echo "The tests need Debian packages. Install them with: sudo apt-get install $(SYSTEM_PACKAGES)"; \
	    exit 1; \
	  fi; \
	fi

chromium: system

# Two workers (pytest-xdist): the suite is mostly waiting on databases, files and the browser.
PYTEST_WORKERS ?= 2

test: install system
	$(BIN)/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

typecheck: install
	$(BIN)/mypy

ci:
	bash .ci/run

# Refresh the vendored front-end assets from the npm registry (versions pinned here).
vendor:
	rm -rf var/vendor && mkdir -p var/vendor
	cd var/vendor && npm pack --silent bootstrap@5.3.9 htmx.org@2.0.11 sortablejs@1.15.7 >/dev/null && for f in *.tgz; do mkdir -p $${f%.tgz} && tar xzf $$f -C $${f%.tgz}; done
	cp var/vendor/bootstrap-5.3.9/package/dist/css/bootstrap.min.css* src/accord/static/vendor/bootstrap/
	cp var/vendor/bootstrap-5.3.9/package/dist/js/bootstrap.bundle.min.js* src/accord/static/vendor/bootstrap/
	cp var/vendor/htmx.org-2.0.11/package/dist/htmx.min.js src/accord/static/vendor/htmx/
	cp var/vendor/sortablejs-1.15.7/package/Sortable.min.js var/vendor/sortablejs-1.15.7/package/LICENSE src/accord/static/vendor/sortablejs/

clean:
	rm -rf $(VENV) var/static .pytest_cache .mypy_cache .ruff_cache
