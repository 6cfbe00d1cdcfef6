# Two commands matter: `make run` (the platform with demo data) and `make test` (the whole suite).
VENV := .venv
BIN := $(VENV)/bin

.PHONY: setup run test lint unit stop

setup:
	@bash scripts/setup.sh

run: setup
	$(BIN)/castline run

lint: setup
	$(BIN)/ruff check .
	$(BIN)/mypy
	$(BIN)/lint-imports --no-cache

test: setup lint
	$(BIN)/pytest

unit: setup
	$(BIN)/pytest tests/unit

stop: setup
	$(BIN)/castline stack down
