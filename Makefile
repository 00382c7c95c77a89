# onewindow — the two commands are `make run` and `make test` (README.md).
# CMake does the building; this file only strings the steps together.

BUILD      ?= build
ASAN_BUILD ?= build-asan
BENCH_BUILD ?= build-bench
JOBS       ?= $(shell nproc 2>/dev/null || echo 2)
DATA_DIR   ?= var

.PHONY: all deps deps-test build build-asan web web-deps typecheck run test test-unit \
        test-unit-faketime test-api test-ha test-ha-short fuzz check-deps test-e2e test-crash bench bench-cases \
        bench-assessment bench-exchange crash format format-check clean

all: build web

deps:
	@scripts/deps.sh build

deps-test:
	@scripts/deps.sh test

build: deps
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DOW_TESTS=OFF >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

build-asan: deps-test
	@cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DOW_SANITIZE=ON -DOW_TESTS=ON >/dev/null
	@cmake --build $(ASAN_BUILD) -j $(JOBS)

# npm ci only when the lock file changed since the last install.
web/node_modules/.package-lock.json: web/package-lock.json web/package.json
	@cd web && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

web-deps: web/node_modules/.package-lock.json

web: web-deps
	@cd web && npm run --silent build

typecheck: web-deps
	@cd web && npm run --silent typecheck

run: all
	@$(BUILD)/onewindow --data-dir $(DATA_DIR) init --demo
	@$(BUILD)/onewindow --data-dir $(DATA_DIR) serve

# The sanitizer build runs the unit tests, then serves the API and browser tests.
test: build build-asan format-check check-deps web typecheck test-unit test-unit-faketime test-api \
      test-crash test-ha-short test-e2e
	@echo "make test: all suites passed"

# The module suites run on SQLite and again on a throwaway PostgreSQL cluster (the
# `postgres` label, tests/unit/testdb.h).
test-unit: build-asan
	@scripts/pg.sh stop $(ASAN_BUILD)/pg; rm -rf $(ASAN_BUILD)/pg
	@PG_OPTS="-c fsync=off -c synchronous_commit=off" scripts/pg.sh start $(ASAN_BUILD)/pg >$(ASAN_BUILD)/pg.url
	@cd $(ASAN_BUILD) && OW_TEST_PG_URL="$$(cat pg.url)" ctest --output-on-failure -j $(JOBS); \
	  rc=$$?; $(CURDIR)/scripts/pg.sh stop $(CURDIR)/$(ASAN_BUILD)/pg; exit $$rc

# No test may depend on the day it runs: the unit tests again with the system clock at
# the last day of a year and in a year with no holiday notice shipped (libfaketime).
FAKETIME_DATES ?= 2026-12-31T10:00:00 2027-12-20T10:00:00
test-unit-faketime: build-asan
	@for d in $(FAKETIME_DATES); do \
	  echo "unit tests at $$d (faketime)"; \
	  (cd $(ASAN_BUILD) && faketime "$$(echo $$d | tr T ' ')" ctest -LE postgres -j $(JOBS) --output-on-failure) || exit 1; \
	done

test-api: build-asan
	@cd tests/api && { [ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund --loglevel=error; }
	@echo "API tests on SQLite"
	@scripts/with-server.sh $(ASAN_BUILD)/onewindow -- node --test --test-concurrency=1 tests/api/
	@echo "API tests on two nodes sharing one PostgreSQL behind nginx round-robin"
	@OW_TEST_DB=postgres OW_TEST_NODES=2 scripts/with-server.sh $(ASAN_BUILD)/onewindow -- \
	  node --test --test-concurrency=1 tests/api/

# SIGKILL the server mid-burst of registrations, restart, find every 201 (issue 4); the
# same for uploads; a full or failing disk at the N-th write or fsync (hardening issue);
# the restore drill: back up under load, restore, find every write acknowledged before the
# backup, on SQLite and on PostgreSQL; kill -9 of the PostgreSQL cluster under load and
# back: 503 with Retry-After meanwhile, reconnection by itself, nothing acknowledged lost
# (issue 17).
test-crash: build-asan
	@node tests/crash/register-kill.mjs --bin $(ASAN_BUILD)/onewindow 20
	@node tests/crash/upload-kill.mjs --bin $(ASAN_BUILD)/onewindow 5
	@node tests/crash/disk-faults.mjs --bin $(ASAN_BUILD)/onewindow 8
	@node tests/crash/backup-drill.mjs --bin $(ASAN_BUILD)/onewindow --db sqlite
	@node tests/crash/backup-drill.mjs --bin $(ASAN_BUILD)/onewindow --db postgres
	@node tests/crash/pg-restart.mjs --bin $(ASAN_BUILD)/onewindow 3

# The failover test (issue 17): etcd and three PostgreSQL nodes under Patroni with
# synchronous replication (scripts/ha.sh), two onewindow nodes; HA_ROUNDS kills of the
# primary under load (20 by default), every acknowledged write found afterwards; RTO and
# RPO written to bench/RESULTS-ha.md.  Its twenty rounds wait out Patroni's leader ttl and
# take about ten minutes: make test runs two (test-ha-short).
test-ha: build-asan
	@scripts/deps.sh ha
	@node tests/ha/failover.mjs --bin $(ASAN_BUILD)/onewindow --rounds $(or $(HA_ROUNDS),20) \
	  --results bench/RESULTS-ha.md

# Two of those rounds (one of each kind) in make test: about three minutes.
test-ha-short: build-asan
	@scripts/deps.sh ha
	@node tests/ha/failover.mjs --bin $(ASAN_BUILD)/onewindow --rounds 2

crash: build-asan
	@node tests/crash/register-kill.mjs --bin $(ASAN_BUILD)/onewindow $(or $(CRASH_ROUNDS),200)

test-e2e: build-asan web
	@cd tests/e2e && { [ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund --loglevel=error; }
	@# oidc.test.mjs runs the test OpenID provider of tests/api (its oidc-provider package)
	@cd tests/api && { [ -d node_modules ] && [ node_modules/.package-lock.json -nt package-lock.json ] || npm ci --no-audit --no-fund --loglevel=error; }
	@scripts/with-server.sh $(ASAN_BUILD)/onewindow -- sh -c 'cd tests/e2e && node --test --test-concurrency=1'

bench:
	@scripts/deps.sh bench
	@cmake -S . -B $(BENCH_BUILD) -DCMAKE_BUILD_TYPE=Release -DOW_TESTS=OFF >/dev/null
	@cmake --build $(BENCH_BUILD) -j $(JOBS)
	@$(MAKE) --no-print-directory web
	@bench/run.sh $(BENCH_BUILD)/onewindow
	@bench/render.sh $(BENCH_BUILD)/onewindow
	@bench/assessment.sh $(BENCH_BUILD)/onewindow
	@bench/hall.sh $(BENCH_BUILD)/onewindow
	@bench/exchange.sh $(BENCH_BUILD)/onewindow

# A year's assessment scores of every department and township centre on a million cases
# (issue 21); also the last step of `make bench`.
bench-assessment:
	@scripts/deps.sh bench
	@cmake -S . -B $(BENCH_BUILD) -DCMAKE_BUILD_TYPE=Release -DOW_TESTS=OFF >/dev/null
	@cmake --build $(BENCH_BUILD) -j $(JOBS)
	@bench/assessment.sh $(BENCH_BUILD)/onewindow

# The exchange's outbox against the district's own submit rate (issue 19); also a step
# of `make bench`.
bench-exchange:
	@scripts/deps.sh bench
	@cmake -S . -B $(BENCH_BUILD) -DCMAKE_BUILD_TYPE=Release -DOW_TESTS=OFF >/dev/null
	@cmake --build $(BENCH_BUILD) -j $(JOBS)
	@bench/exchange.sh $(BENCH_BUILD)/onewindow

# Submits, transitions and the review queue on a million cases (issue 6), on SQLite and
# then on two nodes over PostgreSQL against pgbench in the same run (issue 16); then a
# bundle's submission (一件事, issue 22) against a single case's on its own seeded database.
bench-cases:
	@scripts/deps.sh bench
	@cmake -S . -B $(BENCH_BUILD) -DCMAKE_BUILD_TYPE=Release -DOW_TESTS=OFF >/dev/null
	@cmake --build $(BENCH_BUILD) -j $(JOBS)
	@cp bench/RESULTS-cases.md $(BENCH_BUILD)/RESULTS-cases.previous.md 2>/dev/null || true
	@bench/cases.sh $(BENCH_BUILD)/onewindow
	@OW_BENCH_PREVIOUS=$(BENCH_BUILD)/RESULTS-cases.previous.md bench/cases-pg.sh $(BENCH_BUILD)/onewindow
	@bench/bundle.sh $(BENCH_BUILD)/onewindow

# libFuzzer harnesses of tests/fuzz, FUZZ_SECONDS each (issue: hardening); the corpora
# they grow are replayed by `make test` (CTest fuzz_*).  FUZZ_HARNESSES picks some.
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 120
fuzz:
	@scripts/deps.sh fuzz
	@CC=clang cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=Debug -DOW_FUZZ=ON -DOW_TESTS=OFF >/dev/null
	@cmake --build $(FUZZ_BUILD) -j $(JOBS)
	@scripts/fuzz.sh $(FUZZ_BUILD) $(FUZZ_SECONDS) $(FUZZ_HARNESSES)

FORMAT_FILES = $$(git ls-files 'src/*.c' 'src/*.h' 'tests/unit/*.[ch]' 'tests/fuzz/*.[ch]' \
                 'tests/faults/*.c' 'tools/*.c')

format:
	@clang-format -i $(FORMAT_FILES)

# The house style (.clang-format, docs/style.md): make test fails on a file it would change.
format-check:
	@clang-format --dry-run --Werror $(FORMAT_FILES)
	@echo "format-check: every C file as clang-format writes it"

# Dependencies between src/ folders point one way; no new arrow on a cycle, no domain header
# speaking HTTP, no new SQL outside src/store/ (docs/architecture.md, "Modules").
check-deps:
	@node scripts/check-deps.mjs
	@node scripts/check-sql.mjs

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(BENCH_BUILD) $(FUZZ_BUILD) web/dist
