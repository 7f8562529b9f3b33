# Two commands on a fresh Debian machine: `make run` and `make test`. Everything else is here for developers.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
DB_NAME ?= hiljade
TEST_DB_NAME ?= hiljade_test
# A DATABASE_URL in the environment points at an existing PostGIS and skips the embedded cluster.
EMBEDDED_DB := $(if $(DATABASE_URL),,yes)
EMBEDDED_TEST_DB := $(if $(TEST_DATABASE_URL),,yes)
export FLASK_APP := wsgi.py
# The site connects as DATABASE_URL's role; migrations, `flask geodata load` and `flask db roles` as the owner of
# the schema (README, "Database roles"). An existing PostGIS names its owner in DATABASE_OWNER_URL.
export DATABASE_URL ?= $(shell scripts/postgis.sh url $(DB_NAME))
export DATABASE_OWNER_URL ?= $(if $(EMBEDDED_DB),$(shell scripts/postgis.sh owner-url $(DB_NAME)))
export TEST_DATABASE_URL ?= $(shell scripts/postgis.sh url $(TEST_DB_NAME))
export TEST_DATABASE_OWNER_URL ?= $(if $(EMBEDDED_TEST_DB),$(shell scripts/postgis.sh owner-url $(TEST_DB_NAME)))

# Debian packages of the embedded PostGIS (scripts/postgis.sh installs them).
DB_PACKAGES := postgresql postgis
# Debian packages the tests need besides PostgreSQL/PostGIS. libatomic1: Playwright's bundled node driver needs
# libatomic.so.1, which a minimal Debian does not have.
# osmium-tool and gdal-bin: the street-level base map's steps (scripts/basemap/build.sh), run on a small .osm file.
# redis-server and nginx-light: the scale-out tests (tests/e2e/test_cluster.py) run them as the project's own.
TEST_PACKAGES := chromium fonts-dejavu-core libimage-exiftool-perl gdal-bin osmium-tool libatomic1 redis-server \
	nginx-light
# Debian packages for what `npm ci` installs into node_modules/ from package-lock.json (the map renderer, its font
# and the service worker's cache expiry, which the site serves; ESLint): Node.js (Debian 12's Node 18 is enough)
# and npm, each only when its command is missing: NodeSource's nodejs package brings its own npm and conflicts
# with Debian's.
NODE_PACKAGES := $(if $(shell command -v node),,nodejs) $(if $(shell command -v npm),,npm)
ESLINT := node_modules/.bin/eslint
# What scripts/prerequisites.sh checks a non-root user already has (as root the Makefile installs it), per goal:
# `make lint` needs no database.
PREREQ_PACKAGES :=
lint: PREREQ_PACKAGES += $(NODE_PACKAGES)
run dev: PREREQ_PACKAGES += $(NODE_PACKAGES) redis-server
db: PREREQ_PACKAGES += $(if $(EMBEDDED_DB),$(DB_PACKAGES))
bench-db: PREREQ_PACKAGES += $(if $(BENCH_DATABASE_URL),,$(DB_PACKAGES))
test: PREREQ_PACKAGES += $(DB_PACKAGES) $(TEST_PACKAGES) $(NODE_PACKAGES)

.PHONY: help prerequisites run dev test lint format db stop migration translations messages cyrillic clean bench bench-photos \
	bench-db bench-peers bench-load bench-pages bench-basemap backup restore cluster cluster-stop

help:
	@echo "make run    set everything up and serve the site on http://127.0.0.1:5000"
	@echo "make test   set everything up and run the test suite"
	@echo "make dev    like run, with the Flask development server (debug on)"
	@echo "make lint   ruff and ESLint;  make stop   stop the embedded PostGIS"
	@echo "make bench  load 1,000,000 synthetic cameras into a separate database and time the map endpoints"
	@echo "make bench-peers / bench-load / bench-pages   ours vs tipg; 220 users for 10 minutes; Lighthouse"
	@echo "make migration m='message'   new Alembic revision from the models"

# Checked on every run, before anything is installed: python3 with venv, and (not as root) the Debian packages.
prerequisites:
	@scripts/prerequisites.sh "$(PYTHON)" $(sort $(PREREQ_PACKAGES))

# The virtualenv counts as made once pip runs in it: one left half-made (python3-venv missing, an interrupted run)
# is removed and made again instead of being taken for finished. The stamp is written last.
$(VENV)/.ready: | prerequisites
	$(BIN)/python -m pip --version >/dev/null 2>&1 || { rm -rf $(VENV) && $(PYTHON) -m venv $(VENV); }
	$(BIN)/python -m pip install --quiet --upgrade pip
	touch $@

$(VENV)/.installed: requirements.txt requirements-dev.txt $(VENV)/.ready
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

# The packages the site serves and ESLint, exactly as package-lock.json pins them; again when the lockfile changes.
node_modules/.installed: package.json package-lock.json | prerequisites
	scripts/system-packages.sh $(NODE_PACKAGES)
	npm ci --no-audit --no-fund
	touch $@

translations: $(VENV)/.installed
	$(BIN)/pybabel compile -d app/translations -f >/dev/null

db: $(VENV)/.installed translations
ifeq ($(EMBEDDED_DB),yes)
	scripts/postgis.sh createdb $(DB_NAME)
endif
	APP_CONFIG=production $(BIN)/flask db upgrade
ifeq ($(DATABASE_OWNER_URL),)
	@echo "warning: DATABASE_OWNER_URL is not set, so the site's role owns the schema (README, 'Database roles')"
else
	APP_CONFIG=production $(BIN)/flask db roles
endif
	APP_CONFIG=production $(BIN)/flask geodata load
	APP_CONFIG=production $(BIN)/flask users ensure-admin

# MALLOC_ARENA_MAX=2: with 8 threads glibc keeps up to 8 malloc arenas, each holding on to the memory of the large
# photos it once decoded; two arenas lowered a worker's peak under a photo flood from 600 to 470 MB (bench-photos).
# The rate limits are counted in the project's Redis (scripts/redis.sh), one count for every worker.
run: db node_modules/.installed
	scripts/redis.sh start
	SESSION_COOKIE_SECURE=$${SESSION_COOKIE_SECURE:-false} MALLOC_ARENA_MAX=$${MALLOC_ARENA_MAX:-2} \
	  RATELIMIT_STORAGE_URI=$${RATELIMIT_STORAGE_URI:-$$(scripts/redis.sh url)} \
	  APP_CONFIG=production $(BIN)/gunicorn wsgi:app

dev: db node_modules/.installed
	APP_CONFIG=development $(BIN)/flask run --debug --host 127.0.0.1 --port 5000

test: $(VENV)/.installed translations node_modules/.installed
	scripts/system-packages.sh $(TEST_PACKAGES)
	scripts/redis.sh install && scripts/nginx.sh install  # the cluster tests' servers; their system services stopped
	scripts/postgis.sh recreatedb $(TEST_DB_NAME)
	$(BIN)/ruff check .
	$(ESLINT) .
	$(BIN)/pytest $(PYTEST_ARGS)

# Benchmarks: a separate database (never the site's), synthetic cameras, figures printed (bench/run.py). The site
# is measured as it runs, as the site's role; only the synthetic load runs as the owner (it switches the row
# triggers off for its one big INSERT).
# Set BENCH_DATABASE_URL to benchmark an existing PostGIS database instead of the embedded cluster's (one role).
BENCH_DB_NAME ?= hiljade_bench
BENCH_ENV = export APP_CONFIG=production \
	DATABASE_URL=$${BENCH_DATABASE_URL:-$$(scripts/postgis.sh url $(BENCH_DB_NAME))} \
	DATABASE_OWNER_URL=$${BENCH_DATABASE_URL:-$$(scripts/postgis.sh owner-url $(BENCH_DB_NAME))};
# wrk (load generator), socat (a loopback listener for tipg in front of the cluster's Unix socket), gdal-bin (ogrinfo
# counts the features of both servers' tiles).
BENCH_PEER_PACKAGES := wrk socat gdal-bin
TIPG_VENV := .venv-tipg
LOCUST_VENV := .venv-locust
BENCH_LOAD_DURATION ?= 10m

# The schema, the municipalities and 1,000,000 synthetic cameras (loaded once; later runs find them).
bench-db: $(VENV)/.installed translations
ifeq ($(BENCH_DATABASE_URL),)
	scripts/postgis.sh createdb $(BENCH_DB_NAME)
endif
	$(BENCH_ENV) $(BIN)/flask db upgrade && { [ -n "$(BENCH_DATABASE_URL)" ] || $(BIN)/flask db roles; } && \
	  $(BIN)/flask geodata load && DATABASE_URL=$$DATABASE_OWNER_URL $(BIN)/python -m bench.synthetic

bench: bench-db
	$(BENCH_ENV) $(BIN)/python -m bench.run && $(BIN)/python -m bench.tiles

# tipg and locust each in a virtualenv of their own: their dependencies never meet the site's pins.
$(TIPG_VENV)/.installed: | prerequisites
	rm -rf $(TIPG_VENV) && $(PYTHON) -m venv $(TIPG_VENV)
	$(TIPG_VENV)/bin/python -m pip install --quiet "tipg==1.6.1" "uvicorn[standard]==0.54.0"
	touch $@

$(LOCUST_VENV)/.installed: | prerequisites
	rm -rf $(LOCUST_VENV) && $(PYTHON) -m venv $(LOCUST_VENV)
	$(LOCUST_VENV)/bin/python -m pip install --quiet "locust==2.47.0"
	touch $@

# Ours and tipg side by side on the bench table (bench/peers.py). BENCH_SECONDS=3 for a quick look.
bench-peers: bench-db $(TIPG_VENV)/.installed
	scripts/system-packages.sh $(BENCH_PEER_PACKAGES)
	$(BENCH_ENV) $(BIN)/python -m bench.peers

# 200 browsing and 20 reporting users (bench/load.py); BENCH_LOAD_DURATION=2m for a shorter run.
bench-load: bench-db $(LOCUST_VENV)/.installed
	$(BENCH_ENV) BENCH_LOAD_DURATION=$(BENCH_LOAD_DURATION) $(BIN)/python -m bench.load

# Lighthouse (npm, pinned in package-lock.json) on Debian's Chromium (bench/pages.py).
bench-pages: bench-db node_modules/.installed
	scripts/system-packages.sh chromium
	$(BENCH_ENV) $(BIN)/python -m bench.pages

# Several app servers on one machine (README, "Scaling out"): PostgreSQL and its replica, Redis, SeaweedFS, two
# gunicorn instances, nginx in front on 127.0.0.1:8080.
cluster: db node_modules/.installed
	scripts/system-packages.sh redis-server nginx-light
	scripts/postgis.sh replica-start
	REPLICA_DATABASE_URL=$${REPLICA_DATABASE_URL:-$$(scripts/postgis.sh replica-url $(DB_NAME))} scripts/cluster.sh start

cluster-stop:
	scripts/cluster.sh stop
	scripts/postgis.sh replica-stop

# Backups (README, "Backups"): BACKUP_DIR for the new one, BACKUP for the one to restore into a fresh database.
BACKUP_DIR ?= instance/backups/$(shell date -u +%F)
backup: $(VENV)/.installed
ifeq ($(EMBEDDED_DB),yes)
	scripts/postgis.sh start
endif
	APP_CONFIG=production $(BIN)/flask backup create $(BACKUP_DIR)

restore: $(VENV)/.installed translations
	@test -n "$(BACKUP)" || { echo "make restore BACKUP=DIR (a directory made by make backup)"; exit 2; }
ifeq ($(EMBEDDED_DB),yes)
	scripts/postgis.sh createdb $(DB_NAME)
endif
	APP_CONFIG=production $(BIN)/flask backup restore $(BACKUP)

# The base map's size, drawing time and tile latency (bench/basemap.py), on the site's database.
bench-basemap: db
	APP_CONFIG=production $(BIN)/python -m bench.basemap

lint: $(VENV)/.installed node_modules/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(ESLINT) .

format: $(VENV)/.installed
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

migration: $(VENV)/.installed
	@test -n "$(m)" || (echo "usage: make migration m='what changes and why'"; exit 2)
	APP_CONFIG=development $(BIN)/flask db migrate -m "$(m)"

# The photo pipeline's CPU and memory per corpus case and worst case, then a flood of worst-case requests against
# gunicorn while the public map is read (its own database, hiljade_bench_photos). Prints figures.
bench-photos: $(VENV)/.installed translations
	$(BIN)/python bench/photo_pipeline.py
	$(BIN)/python bench/photo_flood.py

stop:
	scripts/postgis.sh stop
	scripts/redis.sh stop

clean: stop
	rm -rf $(VENV) $(TIPG_VENV) $(LOCUST_VENV) node_modules instance/pg

# Refresh the message catalogue after changing user-facing strings, then translate the new entries in the .po file.
messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --omit-header -o app/translations/messages.pot .
	$(BIN)/pybabel update -i app/translations/messages.pot -d app/translations --ignore-obsolete --no-fuzzy-matching --ignore-pot-creation-date --width 120
	@$(MAKE) --no-print-directory cyrillic

# The Serbian Cyrillic catalogue is generated from the Latin one and committed; edit sr_Latn's messages.po or
# app/translations/sr_Cyrl/overrides.txt, then run this (tests/i18n/test_cyrillic.py fails while they disagree).
cyrillic: $(VENV)/.installed
	$(BIN)/python -m scripts.cyrillic_catalogue
