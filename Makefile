# The two set-up commands of the README: `make demo` and `make test`.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
DEMO_ENV := DEBUG=1
# `make worker` on a development machine: the demo's settings with the database queue. In
# production the environment says it all: `make worker WORKER_ENV=` (or the systemd unit of
# the README, "Worker and scheduled messages").
WORKER_ENV ?= $(DEMO_ENV) TASKS_BACKEND=django_tasks_db.DatabaseBackend

.PHONY: install demo serve test test-browser lint bench bench-pg clean messages lighthouse language-share worker

$(VENV)/.installed: pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

demo: install
	$(DEMO_ENV) $(PY) manage.py migrate --noinput
	$(DEMO_ENV) $(PY) manage.py seed_demo
	$(DEMO_ENV) $(PY) manage.py runserver 127.0.0.1:8000

# In parallel, one worker per core (pytest-xdist); pytest's last line gives the time taken and
# --durations the slowest tests.
test: install
	$(PY) -m pytest -n auto --durations=5 $(PYTEST_ARGS)

# One browser at a time: two Chromiums on two cores only slow each other down.
test-browser: install
	$(PY) -m pytest tests/browser -m browser -p no:xdist $(PYTEST_ARGS)

# ruff, and the import rules of pyproject.toml's [tool.importlinter].
lint: install
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(VENV)/bin/lint-imports

# The task worker: sends the messages queued on the database queue, one task at a time, checking
# for new ones every 2 seconds. No reloading: a reload could stop a message mid-send.
worker: install
	$(WORKER_ENV) $(PY) manage.py db_worker --queue-name default --interval 2 --no-reload

bench: install
	$(DEMO_ENV) $(PY) manage.py benchmark

# The same on PostgreSQL, adding the seat race and the requests per second gunicorn serves
# (visitors' pages cold and cached, beside /healthz). The benchmark creates and drops its own
# test_<name> database from this URL; the named one is never written.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/bench
bench-pg: install
	$(DEMO_ENV) DATABASE_URL=$(BENCH_DATABASE_URL) $(PY) manage.py benchmark $(BENCH_ARGS)

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles tools/lighthouse/node_modules

# Lighthouse (pinned in tools/lighthouse/package-lock.json, installed there, not globally):
# mobile accessibility of a fresh demo in every language; fails under 98. Reports go to
# test-artifacts/lighthouse/. LIGHTHOUSE_ARGS=--all audits every page in every language.
LIGHTHOUSE_MODULES := tools/lighthouse/node_modules/.package-lock.json
$(LIGHTHOUSE_MODULES): tools/lighthouse/package-lock.json
	@command -v npm >/dev/null || { echo "Node.js 20 and npm are needed for Lighthouse"; exit 1; }
	npm ci --prefix tools/lighthouse --no-audit --no-fund
	touch $@

lighthouse: install $(LIGHTHOUSE_MODULES)
	$(PY) -m tools.lighthouse.run $(LIGHTHOUSE_ARGS)

# The share of each page's visible text in its language, per language and page (Playwright);
# the table goes to test-artifacts/language-share.md.
language-share: install
	$(PY) -m tools.language_share

# Refresh the translation catalogues after changing strings, then compile them.
messages: install
	$(DEMO_ENV) $(PY) manage.py makemessages -l zh_Hant -l ar -l fr -l ur -l bn -l vi -l id -l so -l sw --ignore=.venv --ignore=tests --ignore=staticfiles
	$(DEMO_ENV) $(PY) manage.py compilemessages --ignore=.venv
