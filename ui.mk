# ui.mk: benchmarks of the desktop app (package ui) against the targets of
# the UI issue (included by the Makefile; `make -f ui.mk bench-ui` works
# on its own).
#
#   make bench-ui                     the UI benchmarks and the resident
#                                     memory, then a Markdown table
#   make bench-ui BENCH_STORE=/path   where the 100k-record fixture lives
#   make bench-ui UI_START_RUNS=5     app starts measured (default 3)
#   make bench-ui BENCH_TIME=5s       longer search and filter runs
#
# The benchmarks drive the real screens headless (fyne.io/fyne/v2/test,
# CGO_ENABLED=0) on the data benchmarks' 100k-record fixture (bench.mk),
# generated in $(BENCH_STORE) on first use; each works on a copy of it
# with a cadre profile added, so the fixture is left as it was. Raw output
# goes to $(BENCH_OUT)/bench-ui.txt, the table to $(BENCH_OUT)/bench-ui.md.
# A missed target shows "**no**" but does not fail the target (figures
# depend on the machine and its load); a failing or missing measurement
# does.

GO            ?= go
BENCH_OUT     ?= $(CURDIR)/bench-out
BENCH_STORE   ?= $(BENCH_OUT)/store
BENCH_TIME    ?= 3s
UI_START_RUNS ?= 3

# The environment of every run: the fixture, no cgo, and a well-formed
# locale (Fyne logs an error for every app under LANG=C).
UI_BENCH_ENV = DANVAN_BENCH_STORE='$(BENCH_STORE)' CGO_ENABLED=0 LANG=en_US.UTF-8

.PHONY: bench-ui
bench-ui:
	@mkdir -p '$(BENCH_OUT)'
	@echo '== UI benchmarks (fixture: $(BENCH_STORE))'
	@{ $(UI_BENCH_ENV) $(GO) test ./ui -run '^$$' -bench '^BenchmarkStartDashboard100k$$' \
		-benchtime '$(UI_START_RUNS)x' -count 1 -timeout 60m 2>&1 \
		|| echo "FAIL: go test -bench StartDashboard100k exited with $$?"; \
	   $(UI_BENCH_ENV) $(GO) test ./ui -run '^$$' -bench '^BenchmarkConcernSearch100k$$' \
		-benchtime '$(BENCH_TIME)' -count 1 -timeout 30m 2>&1 \
		|| echo "FAIL: go test -bench ConcernSearch100k exited with $$?"; } \
		| tee '$(BENCH_OUT)/bench-ui.txt'
	@echo '== resident memory'
	@{ $(UI_BENCH_ENV) DANVAN_RSS=1 $(GO) test ./ui -run '^TestRSSConcernList100k$$' -count 1 -v 2>&1 \
		|| echo "FAIL: go test -run TestRSSConcernList100k exited with $$?"; } \
		| tee -a '$(BENCH_OUT)/bench-ui.txt'
	@echo
	@awk "$$UI_BENCH_TABLE" '$(BENCH_OUT)/bench-ui.txt' > '$(BENCH_OUT)/bench-ui.md'; rc=$$?; \
		cat '$(BENCH_OUT)/bench-ui.md'; exit $$rc

# UI_BENCH_TABLE turns bench-ui.txt into the Markdown table of targets
# against figures (the last run of each benchmark); it exits 1 when a run
# failed or a figure is missing.
define UI_BENCH_TABLE
/^Benchmark/ {
	name = $$1
	sub(/^Benchmark/, "", name)
	sub(/-[0-9]+$$/, "", name)
	for (i = 3; i < NF; i += 2)
		val[name, $$(i + 1)] = $$i
}
/^RSS with 100k store and concern list:/ { val["RSS", "MB"] = $$(NF - 1) }
/after a forced GC and FreeOSMemory: RSS/ { for (i = 1; i < NF; i++) if ($$i == "RSS") val["RSS", "floor"] = $$(i + 1) }
/^FAIL|^--- FAIL|^panic:/ { failed = 1 }

function row(what, target, limit, got, shown) {
	if (got == "") {
		missing = 1
		printf "| %s | %s | not measured | ? |\n", what, target
		return
	}
	printf "| %s | %s | %s | %s |\n", what, target, shown, (got + 0 <= limit + 0) ? "yes" : "**no**"
}

function ms(name,    med, mean) {
	med = val[name, "median-ms"]
	mean = val[name, "ns/op"]
	if (med == "" || mean == "")
		return ""
	return sprintf("%.1f ms median (%.1f ms mean, %d results on average)", med, mean / 1e6, val[name, "rows/op"])
}

END {
	s = "StartDashboard100k"
	print "| what (100k-record store) | target | measured | met? |"
	print "|---|---|---|---|"
	row("start to a usable dashboard: lists and first figures shown", "≤ 2 s", 2, val[s, "usable-s"],
		sprintf("%.2f s (median of the starts)", val[s, "usable-s"]))
	row("start to the complete dashboard: the month figures shown too", "≤ 2 s", 2, val[s, "complete-s"],
		sprintf("%.2f s (median of the starts)", val[s, "complete-s"]))
	row("search: a keystroke to the updated concern list", "≤ 100 ms", 100,
		val["ConcernSearch100k/type", "median-ms"], ms("ConcernSearch100k/type"))
	row("filter: a change of kind to the updated concern list", "≤ 100 ms", 100,
		val["ConcernSearch100k/kind", "median-ms"], ms("ConcernSearch100k/kind"))
	floor = val["RSS", "floor"] == "" ? "" : sprintf(" (%.1f MB after a forced GC)", val["RSS", "floor"])
	row("resident memory, store open and concern list shown", "≤ 200 MB", 200, val["RSS", "MB"],
		sprintf("%.1f MB%s", val["RSS", "MB"], floor))
	if (failed) print "\nA benchmark or test FAILED: see the raw output."
	if (failed || missing) exit 1
}
endef
export UI_BENCH_TABLE
