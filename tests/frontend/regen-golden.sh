#!/usr/bin/env bash
# Regenerates tests/frontend/golden/*.{p1,p2,err} from the current ktap. Only files that
# already exist are rewritten, so each golden case keeps the outputs it was meant to check.
# Usage: tests/frontend/regen-golden.sh [path/to/ktap]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
ktap=${1:-$here/../../build/ktap}
cd "$here/golden"
for stp in *.stp; do
  base=${stp%.stp}
  args=$(sed -n 's|^//[[:space:]]*args:[[:space:]]*||p' "$stp")
  opts=$(sed -n 's|^//[[:space:]]*options:[[:space:]]*||p' "$stp")
  [ -f "$base.p1" ] && "$ktap" $opts -p1 "$stp" $args > "$base.p1" 2>/dev/null || true
  [ -f "$base.p2" ] && "$ktap" $opts -p2 "$stp" $args > "$base.p2" 2>/dev/null || true
  [ -f "$base.err" ] && { "$ktap" $opts -p2 "$stp" $args 2>&1 >/dev/null | grep -v '^Pass [0-9]' > "$base.err" || true; }
done
echo "regenerated golden outputs in $here/golden; review with git diff"
