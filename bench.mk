# bench.mk: performance benchmarks of the data package against the targets
# (included by the Makefile; `make -f bench.mk bench` works on its own).
#
#   make bench                     benchmarks + RSS, then a Markdown table
#   make bench BENCH_TIME=5s       longer runs
#   make bench BENCH_COUNT=5       5 runs each; the table shows medians
#   make bench BENCH_STORE=/path   where the 100k-record fixture lives
#
# The 100k-record fixture (GenerateDemo, scale 43) is generated on the
# first run only and kept in $(BENCH_STORE). Raw output and the table go
# to $(BENCH_OUT). The table reports whether each target is met; a missed
# target does not fail the target (figures depend on the machine), a
# failing or missing benchmark does.

GO          ?= go
BENCH_OUT   ?= $(CURDIR)/bench-out
BENCH_STORE ?= $(BENCH_OUT)/store
BENCH_TIME  ?= 3s
BENCH_COUNT ?= 1
BENCH_RE    ?= SaveDurable|Open100k|Search100k|ListVillage100k

.PHONY: bench
bench:
	@mkdir -p '$(BENCH_OUT)'
	@echo '== benchmarks (fixture: $(BENCH_STORE))'
	@{ DANVAN_BENCH_STORE='$(BENCH_STORE)' $(GO) test ./data -run '^$$' -bench '$(BENCH_RE)' \
		-benchtime '$(BENCH_TIME)' -count '$(BENCH_COUNT)' 2>&1 || echo "FAIL: go test -bench exited with $$?"; } \
		| tee '$(BENCH_OUT)/bench.txt'
	@echo '== resident memory'
	@{ DANVAN_BENCH_STORE='$(BENCH_STORE)' DANVAN_RSS=1 $(GO) test ./data -run '^TestRSS100k$$' -count 1 -v 2>&1 \
		|| echo "FAIL: go test -run TestRSS100k exited with $$?"; } \
		| tee -a '$(BENCH_OUT)/bench.txt'
	@echo
	@sh scripts/benchtable.sh '$(BENCH_OUT)/bench.txt' > '$(BENCH_OUT)/bench.md'; rc=$$?; \
		cat '$(BENCH_OUT)/bench.md'; exit $$rc
