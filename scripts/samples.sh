#!/usr/bin/env bash
# The sample documents in docs/samples/, made from demo data by the real
# command line (make samples): the periodic report of the commune
# (bao-cao-xa.pdf), a village summary (tom-tat-thon.pdf) and the minutes
# of the latest hội nghị thôn (bien-ban-hoi-nghi-thon.pdf), each with a
# PNG of its first page (pdftoppm -png -r 60).
#
#   scripts/samples.sh [BINARY [OUTDIR]]
#
# The demo store is made for commune 23368 (Xã Đăk Long) in a temporary
# directory; its profile is the demo's Party body, so the reports carry
# the Party heading.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$(realpath "${1:-$root/danvan}")
out=${2:-$root/docs/samples}
for tool in pdftoppm pdftotext; do
	command -v "$tool" >/dev/null || { echo "samples: $tool is missing (make deps installs poppler-utils)" >&2; exit 1; }
done
[ -x "$bin" ] || { echo "samples: no app at $bin (make build)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"
export DANVAN_STORE=$tmp/store
"$bin" demo --commune 23368 >"$tmp/demo.log" 2>&1 || { cat "$tmp/demo.log" >&2; exit 1; }

year=$(TZ=Asia/Ho_Chi_Minh date +%Y)
"$bin" report minutes --meeting latest --out "$out/bien-ban-hoi-nghi-thon.pdf" | tee "$tmp/minutes.log"
village=$(sed -n 's/^Đã lưu biên bản hội nghị \(.*\) ngày .*/\1/p' "$tmp/minutes.log")
[ -n "$village" ] || { echo "samples: which village the minutes are of is not known" >&2; exit 1; }
"$bin" report village --village "$village" --period "$year" --out "$out/tom-tat-thon.pdf"
"$bin" report commune --period "$year" --compare truoc --out "$out/bao-cao-xa.pdf"

for name in bao-cao-xa tom-tat-thon bien-ban-hoi-nghi-thon; do
	pdftoppm -png -r 60 -f 1 -l 1 -singlefile "$out/$name.pdf" "$out/$name"
	echo "$out/$name.pdf ($(pdfinfo "$out/$name.pdf" | awk '/^Pages:/ {print $2}') pages), $out/$name.png"
done
