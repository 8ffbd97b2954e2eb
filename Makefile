# Two commands do everything on a fresh machine with Python 3.11 and git:
#   make run    runs the bot (Telegram when TELEGRAM_BOT_TOKEN is set, else the terminal chat)
#   make test   lints, type-checks and runs the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

.PHONY: install run chat test lint bench
install: $(STAMP)

run: $(STAMP)
	$(BIN)/python -m bot

chat: $(STAMP)
	$(BIN)/python -m bot chat

lint: $(STAMP)
	$(BIN)/ruff check bot flows tests bench
	$(BIN)/ruff format --check bot flows tests bench
	$(BIN)/mypy

test: lint
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python bench/reminders.py
	$(BIN)/python bench/updates.py
	$(BIN)/python bench/flood.py
	$(BIN)/python bench/summaries.py
	$(BIN)/python bench/memory.py
