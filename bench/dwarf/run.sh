#!/usr/bin/env bash
# Target-variable benchmark (issue 6): what reading DWARF variables costs per probe hit, in
# ktap and in bpftrace (uprobes, the same reads spelled with arg0/arg1), against the bare call.
#
#   bench/dwarf/run.sh [--ktap PATH] [--reps N] [--calls N] [--no-bpftrace]
#
# dwarf_target.c (built here with -g -O2) times CALLS calls of hot(&node, i) by its thread's
# CPU clock. Each row runs it REPS times under one tool and script; overhead per hit =
# median ns/call under the tool - median ns/call bare (bare runs are part of the same run).
# Every traced run's hit count is checked against CALLS.
set -u -o pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
KTAP=${KTAP:-$REPO/build/ktap}
REPS=5
CALLS=1000000
BPF=1
while [ $# -gt 0 ]; do
    case "$1" in
    --ktap) KTAP=$2; shift ;;
    --reps) REPS=$2; shift ;;
    --calls) CALLS=$2; shift ;;
    --no-bpftrace) BPF=0 ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
    esac
    shift
done
work=$(mktemp -d /tmp/ktap-bench-dwarf.XXXXXX)
trap 'rm -rf "$work"' EXIT
prog=$work/dwarf_target
gcc -g -O2 -o "$prog" "$HERE/dwarf_target.c" || exit 1
command -v bpftrace >/dev/null 2>&1 || BPF=0

median() { sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
ns_of() { awk '/^ns\/call/ { print $2 }' "$1"; }

bare=()
for _ in $(seq "$REPS"); do
    "$prog" "$CALLS" >"$work/out" && bare+=("$(ns_of "$work/out")")
done
bare_med=$(printf '%s\n' "${bare[@]}" | median)
printf 'bare call: %.2f ns (median of %d, %d calls each)\n\n' "$bare_med" "$REPS" "$CALLS"
printf '%-10s %-44s %12s %10s\n' tool "probe body" "ns/hit" "hits ok"

row() {  # TOOL LABEL COMMAND...: runs REPS times; the command prints the target's output and
         # the hit count as "hits N" (ktap) or "@n: N" (bpftrace)
    local tool=$1 label=$2
    shift 2
    local vals=() ok=yes
    for _ in $(seq "$REPS"); do
        "$@" >"$work/out" 2>"$work/err"
        local v hits
        v=$(ns_of "$work/out")
        hits=$(awk '/^hits|^@n:/ { print $2 }' "$work/out" | tail -1)
        [ "$hits" = "$CALLS" ] || ok="no ($hits)"
        [ -n "$v" ] && vals+=("$v")
    done
    local med
    med=$(printf '%s\n' "${vals[@]}" | median)
    printf '%-10s %-44s %12.1f %10s\n' "$tool" "$label" "$(awk -v a="$med" -v b="$bare_med" 'BEGIN { print a - b }')" "$ok"
}

ktap_row() {  # LABEL EXPR: `n <<< EXPR` on every hit
    row ktap "$1" "$KTAP" -e "global n; probe process.function(\"hot\") { n <<< $2 }
probe end { printf(\"hits %d\\n\", @count(n)) }" -c "$prog $CALLS"
}
ktap_row 'n <<< 1' '1'
ktap_row 'n <<< $k  (register)' '$k'
ktap_row 'n <<< $n  (register)' '$n'
ktap_row 'n <<< $n->v  (one read)' '$n->v'
ktap_row 'n <<< $n->next->v  (two reads)' '$n->next->v'
ktap_row 'n <<< strlen($n$)  (pretty print)' 'strlen($n$)'

bpf_row() {  # LABEL EXPR
    # bpftrace prints its maps at exit: "@n: HITS".
    row bpftrace "$1" bash -c "bpftrace -e 'uprobe:$prog:hot { @n = count(); @s = sum($2); }
END { clear(@s); }' -c '$prog $CALLS' 2>/dev/null"
}
if [ "$BPF" = 1 ]; then
    bpf_row '@s = sum(1)' '1'
    bpf_row '@s = sum(arg1)  (register)' 'arg1'
    bpf_row '@s = sum(*(int64*)arg0)  (one read)' '*(int64*)arg0'
    bpf_row '@s = sum(*(int64*)*(uint64*)(arg0+8))' '*(int64*)*(uint64*)(arg0+8)'
else
    echo "(bpftrace rows skipped: not installed or --no-bpftrace)"
fi
