# Two commands matter: `make demo` and `make test`. Both build what they need first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
ASSETS := gateway/graphiql/node_modules/playwright-core/package.json
JS_CLIENTS := tests/js/node_modules/.package-lock.json

.PHONY: demo test lint typecheck pytest install assets js-clients bench clean

demo: install assets
	$(BIN)/timebridge demo

test: install assets js-clients
	$(BIN)/ruff check gateway schema adapters simulators tests bench
	$(BIN)/ruff format --check gateway schema adapters simulators tests bench
	$(BIN)/mypy
	$(BIN)/pytest

install: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

assets: $(ASSETS)

# The JavaScript clients the suite drives (graphql-http's audit, Apollo Client), from the lock.
js-clients: $(JS_CLIENTS)

$(JS_CLIENTS): tests/js/package.json tests/js/package-lock.json
	cd tests/js && npm ci --no-audit --no-fund --loglevel=error

$(ASSETS): gateway/graphiql/package.json gateway/graphiql/package-lock.json
	cd gateway/graphiql && npm ci --no-audit --no-fund --loglevel=error
	touch $(ASSETS)

bench: install
	$(BIN)/python -m bench.nested_query

clean:
	rm -rf $(VENV) gateway/graphiql/node_modules
