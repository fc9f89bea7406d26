# One task runner. `make demo` and `make test` each set everything up from nothing.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

# Debian packages the product needs at run time: Pango and HarfBuzz (font subsetting) for WeasyPrint, the fonts
# the template names, and
# util-linux's setpriv (kills the model CLI if its worker dies).
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 libfontconfig1 fonts-liberation2 fonts-dejavu-core util-linux
# Only the tests need these: Debian's Chromium for the browser tests (driven by Playwright, no browser download).
TEST_PACKAGES := chromium

# A throwaway PostgreSQL role and database on loopback for the store's PostgreSQL tests (test credentials only).
TEST_DATABASE_URL ?= postgresql://tailor:tailor-test@127.0.0.1:5432/tailor_test

.PHONY: setup system-deps test-system-deps postgres demo up test lint typecheck check bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Installs what is missing, as root (CI and fresh machines) or through sudo; does nothing when all is present.
define apt_install
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi
endef

system-deps:
	$(call apt_install,$(SYSTEM_PACKAGES))

test-system-deps:
	$(call apt_install,$(SYSTEM_PACKAGES) $(TEST_PACKAGES))

# Debian's PostgreSQL server, started and given the test role; does nothing when all is in place.
postgres:
	@SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	dpkg -s postgresql >/dev/null 2>&1 || { $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq postgresql; }; \
	pg_lsclusters -h | grep -q online || $$SUDO pg_ctlcluster $$(pg_lsclusters -h | awk 'NR==1 {print $$1, $$2}') start; \
	PSQL="$$SUDO runuser -u postgres -- psql -v ON_ERROR_STOP=1 -qtA"; \
	$$PSQL -c "SELECT 1 FROM pg_roles WHERE rolname = 'tailor'" | grep -q 1 || \
	  $$PSQL -c "CREATE ROLE tailor LOGIN CREATEDB PASSWORD 'tailor-test'"; \
	$$PSQL -c "SELECT 1 FROM pg_database WHERE datname = 'tailor_test'" | grep -q 1 || \
	  $$SUDO runuser -u postgres -- createdb -O tailor tailor_test

demo: system-deps setup
	$(BIN)/resume-tailor demo

up: system-deps setup
	$(BIN)/resume-tailor up

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: setup
	$(BIN)/mypy resume_tailor workflows activities api deploy/healthcheck.py

test: test-system-deps postgres setup lint typecheck
	TAILOR_TEST_DATABASE_URL=$(TEST_DATABASE_URL) $(BIN)/pytest

bench: system-deps setup
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) .data .pytest_cache .mypy_cache .ruff_cache test-artifacts
