# The README's two commands: `make run` and `make test`. Everything lives in .venv.
# `make run ARGS="..."` passes options to Streamlit; `make run-home` is the way to use phones.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python

.PHONY: run run-home test lint format browser clock

$(PY):
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11) and "Closer needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.runtime-installed: requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.runtime-installed

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

format: $(VENV)/.dev-installed
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# The fast suite again at a Monday 00:30 and a 31 December 23:30 (libfaketime).
clock: $(VENV)/.dev-installed
	$(PY) -m tests.clock

test: lint browser
	$(PY) -m pytest
	$(PY) -m tests.clock
