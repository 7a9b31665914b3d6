# The two commands of the README, and a few helpers. The work is done by the scripts in bin/.
#
#   make run                      set up (first time: a few minutes) and start on :8000
#   make test                     the whole suite, as CI runs it
#   make test ARGS="-k portal"    extra arguments go to pytest

ARGS ?=

.PHONY: run test setup setup-dev lint production help

run: ## set up, load the demo city if the database is empty, start the server on 0.0.0.0:8000
	bin/run

test: ## migrations check, ruff, and the whole pytest suite (ARGS="..." go to pytest)
	bin/test $(ARGS)

setup: ## install everything and migrate, without starting the server
	bin/setup

setup-dev: ## install the test tools too (requirements-dev.txt, Debian's Chromium)
	bin/setup --dev

lint: setup-dev ## ruff only
	.venv/bin/ruff check .

production: ## collectstatic, migrate and start gunicorn (needs the production variables)
	bin/run-production

help:
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/'
