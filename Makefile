# The two commands of the README: `make run` (the service, locally) and `make test` (the tests).
.PHONY: setup run test test-fast conformance bench

setup:
	@bash scripts/setup.sh

run: setup
	@.venv/bin/python scripts/run_local.py

test: setup
	@.venv/bin/python -m pytest -q

test-fast: setup
	@.venv/bin/python -m pytest -q -m "not e2e"

conformance: setup
	@.venv/bin/python scripts/conformance.py --baseline tests/render/conformance_baseline.json

bench: setup
	@.venv/bin/python scripts/bench.py
