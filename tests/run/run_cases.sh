#!/usr/bin/env bash
# End-to-end tests of running scripts: for each cases/NAME.stp, runs ktap and compares
#   NAME.out  exact standard output (required)
#   NAME.err  exact standard error (optional; absent = must be empty)
#   NAME.rc   exit status (optional; absent = 0)
# Lines `// args: A B` and `// options: -T 1 -D X=1` in the script add script arguments and
# ktap options. Every case runs with a 20 s timeout. KTAP_ARCH selects the handlers' triple
# (x86_64 default) once the i386 executor exists.
# Usage: run_cases.sh path/to/ktap [cases-dir] [name-filter]
set -uo pipefail
ktap=$(realpath "$1")
dir=${2:-$(dirname "$0")/cases}
filter=${3:-}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0
for stp in "$dir"/*.stp; do
    name=$(basename "$stp" .stp)
    [ -n "$filter" ] && [[ "$name" != *$filter* ]] && continue
    base=${stp%.stp}
    args=$(sed -n 's|^//[[:space:]]*args:[[:space:]]*||p' "$stp" | head -1)
    opts=$(sed -n 's|^//[[:space:]]*options:[[:space:]]*||p' "$stp" | head -1)
    [ -n "${KTAP_ARCH:-}" ] && opts="--arch=$KTAP_ARCH $opts"
    # shellcheck disable=SC2086
    (cd "$dir" && timeout 20 "$ktap" $opts "$(basename "$stp")" $args) >"$tmp/out" 2>"$tmp/err" </dev/null
    rc=$?
    want_rc=0
    [ -f "$base.rc" ] && want_rc=$(cat "$base.rc")
    ok=1
    why=""
    if ! cmp -s "$tmp/out" "$base.out"; then ok=0; why="stdout differs"; fi
    if [ -f "$base.err" ]; then
        cmp -s "$tmp/err" "$base.err" || { ok=0; why="$why stderr differs"; }
    elif [ -s "$tmp/err" ]; then
        ok=0; why="$why unexpected stderr"
    fi
    [ "$rc" = "$want_rc" ] || { ok=0; why="$why exit $rc (want $want_rc)"; }
    if [ $ok = 1 ]; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL: $name:$why"
        diff "$base.out" "$tmp/out" | head -10 | sed 's/^/    out: /'
        if [ -f "$base.err" ]; then diff "$base.err" "$tmp/err" | head -6 | sed 's/^/    err: /'
        else head -5 "$tmp/err" | sed 's/^/    err: /'; fi
    fi
done
echo "run cases${KTAP_ARCH:+ ($KTAP_ARCH executor)}: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
