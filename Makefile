# The README's two commands:  make run  (set up, then run the main job)  and  make test.
# Both are idempotent: each step is skipped when what it makes is already there.

PYTHON      ?= python3
VENV        := .venv
BIN         := $(VENV)/bin
# libenchant-2-2 and the Hunspell dictionaries: the 'words' check (i18n_pipeline/dictionary.py);
# chromium-headless-shell: the report's test renders build/report.html in a real browser.
APT_PACKAGES := apertium apertium-eng-spa apertium-fr-es gettext libenchant-2-2 hunspell-es hunspell-fr chromium-headless-shell

.PHONY: run test setup system-deps bench clean

run: setup
	$(BIN)/i18n-pipeline run

test: setup .stamp-test-deps
	$(BIN)/ruff check .
	$(BIN)/python -m mypy --strict i18n_pipeline tests bench
	$(BIN)/python -m pytest

# Bytecode for the package, as a regular pip install compiles it: an editable install never does,
# and with PYTHONDONTWRITEBYTECODE set every start compiled 75 modules again (≈ 0.2 CPU-s a
# process, as much as the whole no-op run). Only changed sources are compiled again.
setup: system-deps .stamp-venv
	$(BIN)/python -m compileall -q i18n_pipeline

# Debian packages, installed with apt-get only when one is missing (sudo when not root).
system-deps:
	@missing=""; \
	for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	$(PYTHON) -c 'import venv, ensurepip' 2>/dev/null || missing="$$missing python3-venv"; \
	if [ -n "$$missing" ]; then \
		sudo=""; [ "$$(id -u)" -eq 0 ] || sudo=sudo; \
		echo "installing Debian packages:$$missing"; \
		$$sudo apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $$missing; \
	fi

.stamp-venv: pyproject.toml
	[ -x $(BIN)/python ] || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -e .
	touch $@

.stamp-test-deps: pyproject.toml .stamp-venv
	$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[test,neural,dask]'
	touch $@

bench: setup
	$(BIN)/python -m pip install -q --disable-pip-version-check -e '.[bench,neural,dask]'
	$(BIN)/python bench/peer_suites.py
	$(BIN)/python bench/ingest_eval.py
	$(BIN)/python bench/quality.py
	$(BIN)/python bench/apertium_throughput.py
	$(BIN)/python bench/speed.py
	$(BIN)/python bench/memory_lookup.py
	$(BIN)/python bench/checks_on_references.py
	$(BIN)/python bench/unknown_words.py
	$(BIN)/python bench/engines.py
	$(BIN)/python bench/dask_speed.py

clean:
	rm -rf build .i18n-cache .stamp-venv .stamp-test-deps
