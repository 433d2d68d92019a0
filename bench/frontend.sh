#!/usr/bin/env bash
# Front-end speed: -p1 and -p2 on generated scripts of 100, 1,000 and 5,000 lines (the
# 5,000-line one also pulls in tapsets). Prints the median of 7 runs of each, and ktap's own
# per-pass timings (-v) for the largest script.
# Usage: bench/frontend.sh [path/to/ktap]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
ktap=${1:-$here/../build/ktap}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
for lines in 100 1000 5000; do
  "$here/gen-large-script.sh" "$lines" > "$tmp/s$lines.stp"
  for pass in 1 2; do
    m=$(for i in 1 2 3 4 5 6 7; do
          s=$(date +%s%N); "$ktap" -p$pass "$tmp/s$lines.stp" >/dev/null; e=$(date +%s%N)
          echo $(( (e - s) / 1000000 ))
        done | median)
    printf '%5d lines  -p%d  median %4d ms (whole process, 7 runs)\n' \
      "$(wc -l < "$tmp/s$lines.stp")" "$pass" "$m"
  done
done
echo "ktap -v on the 5,000-line script:"
"$ktap" -p2 -v "$tmp/s5000.stp" 2>&1 >/dev/null
