#!/usr/bin/env bash
# Writes NAME.out / NAME.err / NAME.rc for cases that have none yet (or for NAME given), from
# the current ktap. Read every generated file before committing it: a golden file that records
# a bug is worse than none.   Usage: tests/run/regen.sh path/to/ktap [NAME...]
set -uo pipefail
ktap=$(realpath "$1")
shift
dir=$(cd "$(dirname "$0")/cases" && pwd)
cd "$dir"
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
    for stp in *.stp; do [ -f "${stp%.stp}.out" ] || names+=("${stp%.stp}"); done
fi
for name in "${names[@]}"; do
    args=$(sed -n 's|^//[[:space:]]*args:[[:space:]]*||p' "$name.stp" | head -1)
    opts=$(sed -n 's|^//[[:space:]]*options:[[:space:]]*||p' "$name.stp" | head -1)
    # shellcheck disable=SC2086
    timeout 20 "$ktap" $opts "$name.stp" $args >"$name.out" 2>"$name.err" </dev/null
    rc=$?
    [ -s "$name.err" ] || rm -f "$name.err"
    if [ "$rc" != 0 ]; then echo "$rc" >"$name.rc"; else rm -f "$name.rc"; fi
    echo "wrote $name (exit $rc)"
done
