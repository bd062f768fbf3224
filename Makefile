# The README's two commands: `make run` and `make test`. Both set everything up first.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 5006

RUN_SYSTEM  := dot:graphviz font-dejavu:fonts-dejavu-core
# postgresql (its pg_ctlcluster is on PATH; initdb and pg_ctl live in /usr/lib/postgresql/N/bin): the kiosk's
# PostgreSQL tests start their own server from them in a temp dir
TEST_SYSTEM := $(RUN_SYSTEM) chromium:chromium font-notosansarabic:fonts-noto-core pg_ctlcluster:postgresql

.PHONY: run test lab setup setup-test system system-test bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# the blueprint canvas: Cytoscape.js from npm, bundled into the package (nothing from a CDN at run time)
CANVAS_BUNDLE := workshop_app/static/canvas.bundle.js
CANVAS_SRC    := workshop_app/frontend/package.json workshop_app/frontend/package-lock.json workshop_app/frontend/src/canvas.js

$(CANVAS_BUNDLE): $(CANVAS_SRC)
	@command -v npm >/dev/null || { echo "make: npm is needed to bundle the canvas (apt-get install -y npm)" >&2; exit 1; }
	cd workshop_app/frontend && npm ci --no-audit --no-fund --loglevel=error && npm run --silent build
	@test -s $@

$(VENV)/.run-installed: pyproject.toml $(CANVAS_BUNDLE) | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.test-installed: pyproject.toml $(VENV)/.run-installed
	$(BIN)/pip install -q -e '.[dev,cluster,exports-test,notebook]'
	touch $@

system:
	@scripts/ensure-system.sh $(RUN_SYSTEM)

system-test:
	@scripts/ensure-system.sh $(TEST_SYSTEM)

setup: system $(VENV)/.run-installed

setup-test: system-test $(VENV)/.test-installed

## run: set up, then do the main job
run: setup
	$(BIN)/mbk workshop --port $(PORT)

## test: set up (with the browser), lint with ruff, then run every test; pytest's "no tests" (5) is a failure
test: setup-test
	@$(BIN)/ruff check .
	@$(BIN)/python -m pytest -q; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "make test: pytest collected no tests: failing" >&2; exit 1; fi; \
	exit $$rc

## lab: set up, then open the README's notebook in JupyterLab
lab: setup-test
	$(BIN)/jupyter lab notebooks/compare-scenarios.ipynb

bench: setup-test
	@for b in bench/*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) exports/out .pytest_cache workshop_app/frontend/node_modules $(CANVAS_BUNDLE)
