#!/usr/bin/env bash
# The front end accepts a 5,000-line generated script that also pulls in the tapsets.
# (Its speed is measured by bench/frontend.sh, not asserted here.)
set -euo pipefail
ktap=$1
bench_dir=$(cd "$(dirname "$0")/../../bench" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$bench_dir/gen-large-script.sh" 5000 > "$tmp/large.stp"
lines=$(wc -l < "$tmp/large.stp")
"$ktap" -p2 -v "$tmp/large.stp" > "$tmp/p2" 2> "$tmp/err" || { cat "$tmp/err"; exit 1; }
want=$(( $(grep -c '^probe ' "$tmp/large.stp") ))
grep -q "Pass 2: analyzed script: $want probes" "$tmp/err" || { echo "expected $want probes"; cat "$tmp/err"; exit 1; }
[ "$lines" -ge 4900 ] || { echo "generated only $lines lines"; exit 1; }
grep -q "thread_indent:string" "$tmp/p2" || { echo "tapset function not pulled in"; exit 1; }
cat "$tmp/err"
echo "large script: $lines lines elaborated"
