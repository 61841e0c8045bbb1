#!/bin/sh
# benchtable.sh: turn the output of the data package's benchmarks and of
# TestRSS100k (see bench.mk) into a Markdown table of the performance
# targets. Reads the files given, or stdin. With several runs of a
# benchmark (-count), it shows the median of them. Exits 1 when a run
# failed or a figure is missing; a missed target only shows as "no".
exec awk '
/^Benchmark/ {
	name = $1
	sub(/^Benchmark/, "", name)
	sub(/-[0-9]+$/, "", name)
	seen[name] = 1
	for (i = 3; i < NF; i += 2) {
		k = name SUBSEP $(i + 1)
		vals[k, ++nval[k]] = $i
	}
}
/^RSS after opening 100k store:/ { rss = $(NF - 1); seen["RSS"] = 1 }
/^FAIL|^--- FAIL|^panic:/ { failed = 1 }

function row(label, target, key, unit, limit, got,    shown, met) {
	if (!(key in seen) || got == "") {
		missing = 1
		printf "| %s | %s | not measured | ? |\n", label, target
		return
	}
	shown = sprintf("%.2f %s", got, unit)
	met = (got + 0 <= limit + 0) ? "yes" : "**no**"
	printf "| %s | %s | %s | %s |\n", label, target, shown, met
}

# med returns the median of the values of key and unit over the runs
# (-count), or "" when there are none.
function med(key, unit,    k, n, i, j, x, a) {
	k = key SUBSEP unit
	n = nval[k] + 0
	if (n == 0)
		return ""
	for (i = 1; i <= n; i++) {
		x = vals[k, i] + 0
		for (j = i - 1; j >= 1 && a[j] > x; j--)
			a[j + 1] = a[j]
		a[j + 1] = x
	}
	return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}

function ns(key, div,    v) { v = med(key, "ns/op"); return v == "" ? "" : v / div }

END {
	print "| benchmark | target | measured | met? |"
	print "|---|---|---|---|"
	row("SaveDurable (median)", "≤ 5 ms", "SaveDurable", "ms", 5, med("SaveDurable", "median-ms"))
	row("Open100k", "≤ 1 s", "Open100k", "s", 1, ns("Open100k", 1e9))
	row("Search100k", "≤ 50 ms", "Search100k", "ms", 50, ns("Search100k", 1e6))
	row("ListVillage100k", "≤ 20 ms", "ListVillage100k", "ms", 20, ns("ListVillage100k", 1e6))
	row("RSS after opening 100k store", "≤ 120 MB", "RSS", "MB", 120, rss)
	if (failed) print "\nA benchmark or test FAILED: see the raw output."
	if (failed || missing) exit 1
}' "$@"
