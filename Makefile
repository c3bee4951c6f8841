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

# The registry's downloads are sometimes cut off mid-file (a CI run failed on a wheel stopped at
# 29.1 of 30.7 MB after pip's own five resumes). So each install resumes more times, and the
# whole install is tried three times, a pause between, before setup gives up: what one attempt
# fetched whole stays in pip's cache, so a retry fetches only what was cut off.
# --resume-retries is known from pip 25.1 on: the first call, which upgrades the venv's own older
# pip, does without it.
define pip_install
for try in 1 2 3; do \
	$(PY) -m pip install --quiet --disable-pip-version-check --retries 10 $(1) && exit 0; \
	echo "pip install $(1): attempt $$try of 3 failed" >&2; \
	[ $$try = 3 ] || sleep 20; \
done; exit 1
endef

setup: $(STAMP)
	@$(PY) -m compileall -q $(PACKAGES)

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "need $(PYTHON) (Python 3.11)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(call pip_install,--upgrade pip)
	$(call pip_install,--resume-retries 20 torch==2.13.0)
	$(call pip_install,--resume-retries 20 -e '.[test]')
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
