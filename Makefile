# The two commands: `make run` (portal on SQLite with demo data) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
FLASK := $(BIN)/flask --app wsgi

.PHONY: run test install lint format translations db demo clean benchmarks security

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --upgrade "pip>=24" wheel

# CPU PyTorch goes in first so nothing later pulls a CUDA build.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install "torch==2.13.0"
	$(BIN)/pip install -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

translations: $(STAMP)
	$(FLASK) translate compile

db: translations
	$(FLASK) db upgrade heads
	$(FLASK) demo load --if-empty

run: db
	$(FLASK) run --host 127.0.0.1 --port 5000

test: translations
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

security: $(STAMP)
	.ci/security

benchmarks: $(STAMP)
	@echo "see benchmarks/README.md"

clean:
	rm -rf $(VENV) instance/*.db
