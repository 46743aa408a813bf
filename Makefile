# The README's two commands: `make run` and `make test`. Everything lives in .venv.
# `make run ARGS="..."` passes options to Streamlit; `make run-home` is the way to use phones.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: run run-home test lint typecheck format browser clock lock

$(PY):
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Closer needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)

# Only what the lock files name, at their versions, each file checked against its hashes
# (pip itself included). requirements*.txt are what we ask for; `make lock` turns them into
# requirements*.lock.
$(VENV)/.runtime-installed: requirements.lock | $(PY)
	$(PY) -m pip install --quiet --require-hashes -r requirements.lock
	touch $@

$(VENV)/.dev-installed: requirements-dev.lock | $(PY)
	$(PY) -m pip install --quiet --require-hashes -r requirements-dev.lock
	touch $@ $(VENV)/.runtime-installed

# Resolve requirements*.txt again, with every file's hash. Versions already in a lock file
# stay where requirements*.txt still allows them; `make lock LOCK_ARGS=--upgrade` takes the
# newest of everything.
LOCK := CUSTOM_COMPILE_COMMAND="make lock" $(VENV)/bin/pip-compile --quiet --generate-hashes \
	--allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links $(LOCK_ARGS)
lock: $(VENV)/.dev-installed
	$(LOCK) --output-file requirements.lock requirements.txt
	$(LOCK) --output-file requirements-dev.lock requirements-dev.txt

run: $(VENV)/.runtime-installed
	$(PY) -m streamlit run app.py $(ARGS)

# On the home network, for phones: only once every partner has a passcode. With your own
# certificate, `make run-home CERT=cert.pem KEY=key.pem` serves HTTPS.
run-home: $(VENV)/.runtime-installed
	$(PY) -m closer.admin check-home-network
	$(PY) -m streamlit run app.py --server.address 0.0.0.0 \
		$(if $(CERT),--server.sslCertFile $(CERT) --server.sslKeyFile $(KEY)) $(ARGS)

browser: $(VENV)/.dev-installed
	$(PY) -m tests.browser

lint: $(VENV)/.dev-installed
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .

# mypy over closer/, app.py and views/ (settings and the few ignores, with reasons, in
# pyproject.toml).
typecheck: $(VENV)/.dev-installed
	$(VENV)/bin/mypy

format: $(VENV)/.dev-installed
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# The fast suite again at a Monday 00:30 and a 31 December 23:30 (libfaketime).
clock: $(VENV)/.dev-installed
	$(PY) -m tests.clock

test: lint typecheck browser
	$(PY) -m pytest
	$(PY) -m tests.clock
