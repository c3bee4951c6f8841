# `make demo` and `make test` set themselves up: a venv in .venv, torch pinned to the local
# CPU wheel first (an unpinned torch pulls gigabytes of CUDA), then everything else resolved
# in one pip install so hazm's numpy pin and faiss agree. Re-running is quick: a stamp file
# records that pyproject.toml has not changed since the last install. Each run also compiles
# Pasokh's own modules (a no-op when nothing changed): pip compiles every package it installs,
# but the editable install leaves ours to be compiled again by every process wherever writing
# bytecode is off (PYTHONDONTWRITEBYTECODE, as on these machines), 0.15 s of a cold `pasokh ask`.

PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
QUESTION := کدام استان‌ها در طرح کودکان بازمانده از تحصیل پایلوت هستند؟

.PHONY: setup demo test lint bench bench-smoke clean

PACKAGES := app bot corpus embeddings evaluation news retrieval

setup: $(STAMP)
	@$(PY) -m compileall -q $(PACKAGES)

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "need $(PYTHON) (Python 3.11)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check torch==2.13.0
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

demo: setup
	$(VENV)/bin/pasokh ask "$(QUESTION)"

test: setup
	$(VENV)/bin/ruff check .
	$(PY) -m pytest -q

lint: setup
	$(VENV)/bin/ruff check .

bench: setup
	$(PY) bench/ask_and_ingest.py

bench-smoke: setup
	$(PY) bench/scale.py --smoke --work data/scale-smoke

clean:
	rm -rf $(VENV) data .pytest_cache .ruff_cache
	find $(PACKAGES) tests bench -name __pycache__ -prune -exec rm -rf {} +
