# One task runner. `make demo` and `make test` each set everything up from nothing.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

# Debian packages the product needs at run time: Pango and HarfBuzz (font subsetting) for WeasyPrint, the fonts
# the template names, and
# util-linux's setpriv (kills the model CLI if its worker dies).
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 libfontconfig1 fonts-liberation2 fonts-dejavu-core util-linux

.PHONY: setup system-deps demo up test lint typecheck check bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Installs what is missing, as root (CI and fresh machines) or through sudo; does nothing when all is present.
system-deps:
	@missing=""; for p in $(SYSTEM_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing:$$missing"; \
	  SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi

demo: system-deps setup
	$(BIN)/resume-tailor demo

up: system-deps setup
	$(BIN)/resume-tailor up

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: setup
	$(BIN)/mypy resume_tailor workflows activities

test: system-deps setup lint typecheck
	$(BIN)/pytest

bench: system-deps setup
	$(BIN)/python -m bench.run

clean:
	rm -rf $(VENV) .data .pytest_cache .mypy_cache .ruff_cache test-artifacts
