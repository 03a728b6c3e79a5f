# Two commands: `make run` and `make test`. Each builds .venv from pinned requirements first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run console test demo format messages bench clean

$(STAMP): requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/python app.py

# The local console, with or without a terminal (`echo '/salesmeet list' | make console`);
# `make run` starts it only at a terminal and with no Slack settings.
console: $(STAMP)
	$(BIN)/python -m console

# A week in the life of a sales team, played in the local console.
demo: $(STAMP)
	$(BIN)/python -m console.demo data/demo

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/python -m pytest

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# Re-extract the message catalogue after changing user-facing text.
messages: $(STAMP)
	$(BIN)/pybabel extract --no-location --omit-header -k N_ -k Example -o bot/locale/messages.pot entities bot handlers features console salesmeet

bench: $(STAMP)
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
