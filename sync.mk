# sync.mk: benchmarks and fuzzing of the sync package against the targets
# of issue 4 (included by the Makefile; `make -f sync.mk bench-sync` works
# on its own).
#
#   make bench-sync     the sync benchmarks, then a Markdown table of
#                       measured against target (10 minutes or more on a
#                       busy 2-core machine, hence -timeout 45m); the
#                       load benchmark runs on Badger and on PostgreSQL:
#                       $DANVAN_TEST_PG, or else the cluster of make pg-start
#   make fuzz-sync      fuzz the push decoder and data.Merge for
#                       FUZZ_TIME each (their seed corpora also run with
#                       every `go test`)
#
# Each benchmark runs once (-benchtime 1x): they are measurements of whole
# syncs, on loopback and through an in-process Toxiproxy. Raw output and
# the table go to $(BENCH_OUT). A missed target shows ❌ in the table but
# does not fail the target (figures depend on the machine and its load);
# a failing benchmark does.

SHELL     := /bin/bash
GO        ?= go
BENCH_OUT ?= $(CURDIR)/bench-out
FUZZ_TIME ?= 10s

.PHONY: bench-sync fuzz-sync
bench-sync:
	@mkdir -p '$(BENCH_OUT)'
	@if [ -z "$$DANVAN_TEST_PG" ]; then $(MAKE) --no-print-directory -f pg.mk pg-start >/dev/null; fi
	@echo '== sync benchmarks'
	@set -o pipefail; DANVAN_TEST_PG="$${DANVAN_TEST_PG:-$$($(MAKE) -s --no-print-directory -f pg.mk pg-url)}" DANVAN_BENCH_TABLE=1 $(GO) test ./sync -run '^$$' -bench . -benchtime 1x -timeout 45m 2>&1 \
		| tee '$(BENCH_OUT)/bench-sync.txt' | grep -v '^|'
	@{ echo '| what | measured | target | met |'; echo '|---|---|---|---|'; grep '^| ' '$(BENCH_OUT)/bench-sync.txt'; } \
		| tee '$(BENCH_OUT)/bench-sync.md'

fuzz-sync:
	$(GO) test ./sync -run '^$$' -fuzz '^FuzzDecodePush$$' -fuzztime '$(FUZZ_TIME)'
	$(GO) test ./data -run '^$$' -fuzz '^FuzzMerge$$' -fuzztime '$(FUZZ_TIME)'
