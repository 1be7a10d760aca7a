# Two commands do all the set-up: `make demo` and `make test`.  Both build .venv when missing.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint bench venv clean train-summarizer train-polarity train-framing

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

venv: $(STAMP)

demo: $(STAMP)
	$(BIN)/composer demo

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .

bench: $(STAMP)
	$(BIN)/python bench/summarize.py
	$(BIN)/python bench/framing.py
	$(BIN)/python bench/polarity.py
	$(BIN)/python bench/perspectives.py
	$(BIN)/python bench/email_delivery.py
	$(BIN)/python bench/duplicates.py

# Reproduce the shipped model files from ../shared/bench (train + valid; never test_public).
train-summarizer: $(STAMP)
	$(BIN)/python scripts/train_summarizer.py
	$(BIN)/python scripts/train_selector.py

train-polarity: $(STAMP)
	$(BIN)/python scripts/train_polarity.py

# The news-framing model behind the optimistic/pessimistic sections, from the committed hand labels
# (bench/framing_labels/train.jsonl); settings chosen on ../shared/bench/framing/valid.jsonl.
train-framing: $(STAMP)
	$(BIN)/python scripts/train_framing.py

clean:
	rm -rf $(VENV) composer-workspace build dist *.egg-info
