#!/usr/bin/env bash
# Backtrace benchmark: what ubacktrace() costs per hit on a 10-frame stack, next to a plain entry
# probe and next to bpftrace's ustack on the same function, in the same run and process.
#
#   bench/backtrace/run.sh [options]
#     --ktap PATH           ktap binary (default: <repo>/build/ktap, or $KTAP)
#     --install-bpftrace    apt-get install -y bpftrace when it is missing (else its rows are skipped)
#     --no-bpftrace         skip bpftrace even when installed
#     --m32                 also run on the -m32 build of the target
#     --no-fp               skip the -fno-omit-frame-pointer build (run by default, layout "one"
#                           only: bpftrace's ustack walks frame pointers, so only there does it
#                           see the whole stack; ktap unwinds by CFI on both builds)
#     --reps N              timed repetitions per measurement (default 7)
#     --scale X             multiply every call count by X (default 1; 0.2 for a quick look)
#     --depth N             frames on the stack at bt_leaf, _start included (default 10)
#     --layouts "L ..."     stack layouts (default "one cross"): one = every frame in one page;
#                           cross = the same frames across a page boundary (see README.md)
#     --bpf-layouts "L ..." layouts with the bpftrace rows (default: one)
#     --clock cpu|wall      time the loops by the thread's CPU clock (default) or CLOCK_MONOTONIC
#     --no-snapshot         run ktap where it is (default: run a copy of ktap and its lib*/ folders)
#     --keep                keep the work folder (logs, tracer outputs)
#
# One target process per build (bt_target.c, -O2 -fomit-frame-pointer) serves every row: it
# idles between commands; the driver attaches a tool with -x/-p PID, waits until it is armed,
# asks the target to time REPS loops of CALLS calls of bt_leaf (clock_gettime inside the target),
# detaches the tool and checks its hit count against the calls made. Bare loops are timed
# between the tools in the same process. overhead per hit = median ns/call under the tool -
# median ns/call bare (pooled bare reps); per frame = (ubacktrace row - plain row) / frames.
# The driver functions are bench/common/driver.sh (shared with bench/attach).
set -u -o pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
# shellcheck source=../common/driver.sh
. "$HERE/../common/driver.sh"
KTAP=${KTAP:-$REPO/build/ktap}
INSTALL_BPF=0
USE_BPF=1
M32=0
FP=1
REPS=7
SCALE=1
DEPTH=10
LAYOUTS="one cross"
BPF_LAYOUTS="one"
KEEP=0
CLOCK=cpu
SNAPSHOT=1

while [ $# -gt 0 ]; do
    case "$1" in
    --ktap) KTAP=$2; shift ;;
    --install-bpftrace) INSTALL_BPF=1 ;;
    --no-bpftrace) USE_BPF=0 ;;
    --m32) M32=1 ;;
    --no-fp) FP=0 ;;
    --reps) REPS=$2; shift ;;
    --scale) SCALE=$2; shift ;;
    --depth) DEPTH=$2; shift ;;
    --layouts) LAYOUTS=$2; shift ;;
    --bpf-layouts) BPF_LAYOUTS=$2; shift ;;
    --keep) KEEP=1 ;;
    --clock) CLOCK=$2; shift ;;
    --no-snapshot) SNAPSHOT=0 ;;
    -h|--help) sed -n '2,/^[^#]/{/^#/p}' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
    esac
    shift
done

case $CLOCK in cpu|wall) ;; *) die "--clock cpu or wall" ;; esac
for l in $LAYOUTS $BPF_LAYOUTS; do case $l in one|cross) ;; *) die "layouts: one, cross" ;; esac; done
[ -x "$KTAP" ] || die "no ktap binary at $KTAP (build it: cmake --build build --target ktap)"
[ "$(id -u)" = 0 ] || echo "run.sh: warning: not root; attaching needs ptrace rights (and bpftrace needs root)" >&2

driver_setup backtrace
calls() { awk -v n="$1" -v s="$SCALE" 'BEGIN { v = int(n * s); print (v < 100 ? 100 : v) }'; }
snapshot_ktap

# ---------------------------------------------------------------------------------------------
# the target builds: -O2 -fomit-frame-pointer (the CFI path), optionally -m32 and with frame
# pointers
CC=${CC:-gcc}
log "building targets in $WORK"
declare -A BIN CFLAGS_OF
build() {  # variant flags...
    local v=$1; shift
    if $CC -O2 -g "$@" -o "$WORK/bt_target.$v" "$HERE/bt_target.c" 2> "$WORK/build.$v.err"; then
        BIN[$v]=$WORK/bt_target.$v
        CFLAGS_OF[$v]="-O2 -g $*"
        VARIANTS="${VARIANTS:-} $v"
    else
        log "run.sh: the $v build failed, skipped: $(head -1 "$WORK/build.$v.err")"
    fi
}
VARIANTS=""
build x86_64 -fomit-frame-pointer
[ "$FP" = 1 ] && build x86_64-fp -fno-omit-frame-pointer
[ "$M32" = 1 ] && build i386 -m32 -fomit-frame-pointer
[ "$M32" = 1 ] && [ "$FP" = 1 ] && build i386-fp -m32 -fno-omit-frame-pointer
[ -n "${BIN[x86_64]:-}" ] || die "cannot build bt_target"

find_bpftrace

# ---------------------------------------------------------------------------------------------
# the rows
TOOLS_KTAP="ktap_plain ktap_ubt ktap_map ktap_callers ktap_unwind"
TOOLS_BPF="bpf_plain bpf_ustack"
declare -A SCRIPT LABEL
SCRIPT[ktap_plain]='global c; probe process.function("bt_leaf") { c <<< 1 }'
SCRIPT[ktap_ubt]='global c; probe process.function("bt_leaf") { s = ubacktrace(); c <<< 1 }'
SCRIPT[ktap_map]='global c; probe process.function("bt_leaf") { c[ubacktrace()] <<< 1 } probe end { foreach (k in c) { printf("stack %d\n", @count(c[k])); print_ustack(k) } }'
SCRIPT[ktap_callers]='global c; probe process.function("bt_leaf") { s = ucallers(3); c <<< 1 }'
SCRIPT[ktap_unwind]='global c; probe process.function("bt_leaf") { s = ucallers(-1); c <<< 1 }'
# The walk without the text: with MAXSTRINGLEN 16 no address (18 characters) fits the result.
declare -A OPTS
OPTS[ktap_unwind]='-DMAXSTRINGLEN=16'
SCRIPT[bpf_plain]='uprobe:BIN:bt_leaf { @c = count(); }'
SCRIPT[bpf_ustack]='uprobe:BIN:bt_leaf { @[ustack] = count(); }'
LABEL[bare]='bare (nothing attached)'
LABEL[ktap_plain]='ktap  c <<< 1 (plain entry probe)'
LABEL[ktap_ubt]='ktap  s = ubacktrace(); c <<< 1'
LABEL[ktap_map]='ktap  c[ubacktrace()] <<< 1'
LABEL[ktap_callers]='ktap  s = ucallers(3); c <<< 1'
LABEL[ktap_unwind]='ktap  s = ucallers(-1), no room for text (walk only)'
LABEL[bpf_plain]='bpftrace  @c = count()'
LABEL[bpf_ustack]='bpftrace  @[ustack] = count()'

ncalls() {  # tool
    case "$1" in
    bare|ktap_plain) calls 10000000 ;;
    ktap_*) calls 300000 ;;
    bpf_*) calls 100000 ;;
    esac
}

spreg() { case $1 in i386*) echo esp ;; *) echo rsp ;; esac; }

# ---------------------------------------------------------------------------------------------
# calibration: one ktap session prints sp and the brief backtrace at bt_leaf (one call)
# calibrate VARIANT TAG -> CAL_SP (decimal), CAL_FRAMES, CAL_NAMES (space separated)
calibrate() {
    local name="$1.cal.$2"
    CAL_SP=""; CAL_FRAMES=0; CAL_NAMES=""
    ktap_start "$name" "probe process.function(\"bt_leaf\") { printf(\"sp=%x\\n\", u_register(\"$(spreg "$1")\")); print_ubacktrace_brief(); println(\"--\") }" \
        || { log "run.sh: calibration session failed (see $WORK/$name.err)"; return 1; }
    tcmd "m bt_leaf 1 1"
    ktap_stop "$name"
    local sp
    sp=$(sed -n 's/^sp=\([0-9a-f]*\)$/\1/p' "$WORK/$name.out" | head -1)
    [ -n "$sp" ] || { log "run.sh: calibration printed no sp (see $WORK/$name.out)"; return 1; }
    CAL_SP=$((16#$sp))
    CAL_NAMES=$(awk '/^sp=/ { on = 1; next } /^--$/ { exit } on { sub(/\+0x[0-9a-f]+.*$/, ""); printf "%s ", $0 }' "$WORK/$name.out")
    CAL_NAMES=${CAL_NAMES% }
    CAL_FRAMES=$(wc -w <<<"$CAL_NAMES")
}

# start_layout_target VARIANT: a target process whose stack at bt_leaf, with no padding, lies in
# one page (the "one" layout), with DEPTH frames. Sets ARGV (decimal), SP0, CHAIN, NAMES.
# The distance from argv to bt_leaf's sp is the same in every process of a build (+-8 for
# _start's alignment), so a process whose layout does not fit is replaced without a session.
start_layout_target() {
    local v=$1 try dist="" chain=3 argv page
    for try in $(seq 40); do
        start_target "${BIN[$v]}" "$v.$try"
        argv=$(sed -n 's/.* argv=0x\([0-9a-f]*\)$/\1/p' "$TOUT" | head -1)
        ARGV=$((16#$argv))
        page=$(( (ARGV - 1) & ~4095 ))
        if [ -n "$dist" ] && [ $((ARGV - dist - 16)) -lt "$page" ]; then
            stop_target; continue
        fi
        tcmd "d $chain"
        calibrate "$v" "$try" || { stop_target; return 1; }
        if [ "$CAL_FRAMES" != "$DEPTH" ]; then
            local want=$((chain + DEPTH - CAL_FRAMES))
            [ "$want" -ge 1 ] && [ "$want" -le 9 ] || {
                log "run.sh: $v: $CAL_FRAMES frames with a chain of $chain; cannot make $DEPTH"
                stop_target; return 1; }
            chain=$want
            tcmd "d $chain"
            calibrate "$v" "$try.d" || { stop_target; return 1; }
            [ "$CAL_FRAMES" = "$DEPTH" ] || {
                log "run.sh: $v: $CAL_FRAMES frames with a chain of $chain, not $DEPTH"
                stop_target; return 1; }
        fi
        dist=$((ARGV - CAL_SP))
        if [ "$CAL_SP" -ge "$page" ]; then
            SP0=$CAL_SP; CHAIN=$chain; NAMES=$CAL_NAMES; TRIES=$try
            return 0
        fi
        stop_target
    done
    log "run.sh: $v: no process with its stack in one page after 40 tries"
    return 1
}

# set_layout VARIANT LAYOUT: the padding that makes the layout, checked by a calibration session.
# Sets PAD, LSP (bt_leaf's sp), LPAGES (pages the unwinder reads: 1 or 2), LSPAN (argv - sp)
set_layout() {
    local v=$1 l=$2 b=$(( (ARGV - 1) & ~4095 ))
    case $l in
    one) PAD=0 ;;
    cross) PAD=$(( (SP0 - b + 512 + 15) & ~15 )) ;;  # the page boundary falls inside bt_chain1's alloca
    esac
    tcmd "p $PAD"
    calibrate "$v" "$l" || return 1
    [ "$CAL_FRAMES" = "$DEPTH" ] || { log "run.sh: $v $l: $CAL_FRAMES frames, not $DEPTH"; return 1; }
    LSP=$CAL_SP
    LSPAN=$((ARGV - LSP))
    if [ $((LSP & ~4095)) = "$b" ]; then LPAGES=1; else LPAGES=$(( (b - (LSP & ~4095)) / 4096 + 1 )); fi
    case $l in
    one) [ "$LPAGES" = 1 ] || { log "run.sh: $v one: the stack is not in one page"; return 1; } ;;
    cross) [ "$LPAGES" = 2 ] || { log "run.sh: $v cross: the stack spans $LPAGES pages, not 2"; return 1; } ;;
    esac
}

# ---------------------------------------------------------------------------------------------
# the measurements
declare -A BARE_REPS MED RANGE HITS WANT NOTE STACKCHECK BPFSTACK LAYOUT_INFO
bare() {  # key
    measure bt_leaf "$(ncalls bare)"
    BARE_REPS[$1]="${BARE_REPS[$1]:-} $M_REPS"
    [ "$M_OK" = ok ] || NOTE[$1/bare]="CHECKSUM BAD"
}

# check_map KEY OUT: the keyed aggregation's output must hold one stack, counted WANT times,
# with DEPTH frames, whose frames from bt_leaf to main are the chain's
upto_main() { sed 's/ main .*$/ main/'; }
check_map() {
    local k=$1 out=$2 nkeys count names want
    nkeys=$(grep -c '^stack ' "$out")
    count=$(sed -n 's/^stack \([0-9]*\)$/\1/p' "$out" | head -1)
    names=$(awk '/^ 0x[0-9a-f]+ / { n = $2 == ":" ? $3 : $1; sub(/\+0x.*$/, "", n); printf "%s ", n }' "$out")
    names=${names% }
    want="bt_leaf bt_loop $(seq "$CHAIN" -1 1 | sed 's/^/bt_chain/' | tr '\n' ' ')bench_timed_reps main"
    if [ "$nkeys" = 1 ] && [ "$count" = "${WANT[$k]}" ] && [ "$(wc -w <<<"$names")" = "$DEPTH" ] &&
        [ "$(upto_main <<<"$names")" = "$want" ]; then
        STACKCHECK[$k]="ok: 1 stack, count $count = calls; $(wc -w <<<"$names") frames: ${names// / < }"
    else
        STACKCHECK[$k]="WRONG: $nkeys stacks, first count ${count:-?} (calls ${WANT[$k]}); frames: ${names// / < } (expected ${want// / < } < ...)"
    fi
}

# bpf_stacks KEY OUT: what bpftrace's ustack saw: the number of stacks and the largest one's frames
bpf_stacks() {
    BPFSTACK[$1]=$(awk '/^@\[$/ { on = 1; n = 0; f = ""; next }
        on && /^\]: [0-9]+$/ { k++; if ($2 > best) { best = $2; bf = f; bn = n } on = 0; next }
        on { x = $1; sub(/\+[0-9]+$/, "", x); f = f (n ? " < " : "") x; n++ }
        END { printf "%d stack(s); the most frequent (%d hits) has %d frames: %s", k, best, bn, bf }' "$2")
    BPF_FRAMES[$1]=$(awk '/^@\[$/ { on = 1; n = 0; next } on && /^\]: [0-9]+$/ { if ($2 > best) { best = $2; bn = n } on = 0; next }
        on { n++ } END { print bn + 0 }' "$2")
}
declare -A BPF_FRAMES

run_tool() {  # variant layout tool
    local v=$1 l=$2 tool=$3 k="$1/$2/$3" name="$1.$2.$3" n script before during after
    n=$(ncalls "$tool")
    script=${SCRIPT[$tool]//BIN/${BIN[$v]}}
    first_bytes bt_leaf; before=$FB
    case $tool in
    ktap_*) ktap_start "$name" "$script" ${OPTS[$tool]:-} || { NOTE[$k]="ktap failed to attach (see $name.err)"; return; } ;;
    bpf_*) bpf_start "$name" "$script" || { NOTE[$k]="bpftrace failed to attach (see $name.err)"; return; } ;;
    esac
    first_bytes bt_leaf; during=$FB
    measure bt_leaf "$n"
    MED[$k]=$M_MED
    RANGE[$k]=$(tr ',' '\n' <<<"$M_REPS" | sort -g | sed -n '1p;$p' | xargs printf '%.1f-%.1f')
    [ "$M_OK" = ok ] || NOTE[$k]="${NOTE[$k]:-}CHECKSUM BAD; "
    WANT[$k]=$((REPS * n))
    case $tool in
    ktap_*) ktap_stop "$name"; HITS[$k]=$STOP_HITS
            NOTE[$k]="${NOTE[$k]:-}$STOP_NOTE$(sed -n 's/.* in \([0-9.]*\) ms[ .].*/armed in \1 ms;/p' <<<"$ARMED_LINE") entry ${before:0:10} -> ${during:0:10} while armed"
            [ "$tool" = ktap_map ] && check_map "$k" "$WORK/$name.out" ;;
    bpf_*) bpf_stop "$name"; HITS[$k]=$STOP_HITS; NOTE[$k]="${NOTE[$k]:-}$STOP_NOTE"
           [ "$tool" = bpf_ustack ] && bpf_stacks "$k" "$WORK/$name.out" ;;
    esac
    first_bytes bt_leaf; after=$FB
    [ "$after" = "$before" ] || NOTE[$k]="${NOTE[$k]} TEXT NOT RESTORED ($after)"
    log "  $v $l $tool: $(fmt "$M_MED" 2) ns/call, hits ${HITS[$k]:-?} of ${WANT[$k]}"
}

DONE_VARIANTS=""
for v in $VARIANTS; do
    log "$v: finding a process whose stack at bt_leaf fits in one page"
    start_layout_target "$v" || { log "run.sh: $v skipped"; continue; }
    log "  pid $TPID (try $TRIES), chain length $CHAIN, $DEPTH frames: $NAMES"
    DONE_VARIANTS="$DONE_VARIANTS $v"
    layouts=$LAYOUTS
    case $v in *-fp) layouts=$(for l in $LAYOUTS; do [ "$l" = one ] && echo one; done) ;; esac
    for l in $layouts; do
        set_layout "$v" "$l" || { NOTE[$v/$l]="layout failed"; continue; }
        LAYOUT_INFO[$v/$l]="pad $PAD bytes; sp at bt_leaf $(printf '%#x' "$LSP"), argv $(printf '%#x' "$ARGV"): $LSPAN bytes of stack, $LPAGES page(s)"
        log "$v $l: ${LAYOUT_INFO[$v/$l]}"
        tools=$TOOLS_KTAP
        [ -n "$BPF" ] && [[ " $BPF_LAYOUTS " == *" $l "* ]] && tools="$tools $TOOLS_BPF"
        measure bt_leaf "$(ncalls bare)"   # warm-up, not counted
        bare "$v/$l"
        for tool in $tools; do
            run_tool "$v" "$l" "$tool"
            bare "$v/$l"
        done
    done
    stop_target
done

# ---------------------------------------------------------------------------------------------
# report
echo
echo "=============================================================================================="
echo "ktap backtrace benchmark  $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "machine: $(nproc) CPUs, $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1), kernel $(uname -r)"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "ktap: $KTAP_ORIG$([ "$SNAPSHOT" = 1 ] && echo " (run from a copy)"), repository at $(cd "$REPO" && git rev-parse --short HEAD 2>/dev/null)$(cd "$REPO" && [ -n "$(git status --porcelain -uno 2>/dev/null)" ] && echo " + uncommitted changes")"
AGENT=$(dirname "$KTAP")/lib/libktap-agent.so
[ -f "$AGENT" ] && echo "agent: $(basename "$AGENT") sha256 $(sha256sum "$AGENT" | cut -c1-12), built $(date -u -r "$AGENT" '+%Y-%m-%d %H:%M:%S UTC')"
echo "bpftrace: ${BPF_VERSION:-not installed, rows skipped}"
echo "reps per measurement: $REPS; calls per rep: bare and ktap plain $(ncalls bare), ktap backtrace rows $(ncalls ktap_ubt), bpftrace $(ncalls bpf_plain)"
echo "loops timed by the $([ "$CLOCK" = cpu ] && echo "thread's CPU clock (CLOCK_THREAD_CPUTIME_ID)" || echo "wall clock (CLOCK_MONOTONIC)")"
echo
echo "overhead per hit = median ns/call with the tool - median ns/call bare (bare reps pooled over"
echo "the layout, measured between the tools in the same process); ns. per frame = (row - plain"
echo "row of the same tool) / frames on the stack."

FAILED=0
ok_row() { [ -n "${MED[$1]:-}" ] && [ "${HITS[$1]:-}" = "${WANT[$1]:-x}" ]; }
for v in $DONE_VARIANTS; do
    for l in $LAYOUTS; do
        [ -n "${LAYOUT_INFO[$v/$l]:-}" ] || continue
        echo
        echo "--- $v (${CFLAGS_OF[$v]}), layout \"$l\": ${LAYOUT_INFO[$v/$l]}"
        b=$(echo "${BARE_REPS[$v/$l]:-}" | median)
        brange=$(echo "${BARE_REPS[$v/$l]:-}" | tr ' ,' '\n\n' | grep -v '^$' | sort -g | sed -n '1p;$p' | xargs printf '%.2f-%.2f')
        printf '%-46s %10s %12s %12s   %s\n' row "ns/call" "overhead" "per frame" "reps min-max"
        printf '%-46s %10s %12s %12s   %s\n' "${LABEL[bare]}" "$(fmt "$b" 2)" "" "" "$brange"
        declare -A OVH=()
        for tool in $TOOLS_KTAP $TOOLS_BPF; do
            k=$v/$l/$tool
            [ -n "${MED[$k]:-}" ] || [ -n "${NOTE[$k]:-}" ] || continue
            if ok_row "$k"; then OVH[$tool]=$(awk -v m="${MED[$k]}" -v b="$b" 'BEGIN { print m - b }')
            else OVH[$tool]=""; FAILED=1; fi
            pf=""
            case $tool in
            ktap_ubt|ktap_map|ktap_unwind)
                [ -n "${OVH[$tool]}" ] && [ -n "${OVH[ktap_plain]:-}" ] &&
                    pf=$(awk -v a="${OVH[$tool]}" -v p="${OVH[ktap_plain]}" -v f="$DEPTH" 'BEGIN { printf "%.1f", (a - p) / f }') ;;
            bpf_ustack)
                [ -n "${OVH[$tool]}" ] && [ -n "${OVH[bpf_plain]:-}" ] && [ "${BPF_FRAMES[$k]:-0}" -gt 0 ] &&
                    pf=$(awk -v a="${OVH[$tool]}" -v p="${OVH[bpf_plain]}" -v f="${BPF_FRAMES[$k]}" 'BEGIN { printf "%.1f (/%d)", (a - p) / f, f }') ;;
            esac
            cellv=$(if ok_row "$k"; then fmt "${OVH[$tool]}" 1; else echo fail; fi)
            printf '%-46s %10s %12s %12s   %s\n' "${LABEL[$tool]}" "$(fmt "${MED[$k]:-}" 2)" "$cellv" "$pf" "${RANGE[$k]:-}"
        done
        if [ -n "${OVH[ktap_ubt]:-}" ] && [ -n "${OVH[ktap_plain]:-}" ]; then
            awk -v a="${OVH[ktap_ubt]}" -v p="${OVH[ktap_plain]}" -v f="$DEPTH" 'BEGIN { x = (a - p) / f;
                printf "ubacktrace() per frame: %.1f ns (target <= 30 ns): %s\n", x, x <= 30 ? "met" : "NOT met" }'
        fi
        unset OVH
        echo "checks:"
        for tool in $TOOLS_KTAP $TOOLS_BPF; do
            k=$v/$l/$tool
            [ -n "${MED[$k]:-}" ] || [ -n "${NOTE[$k]:-}" ] || continue
            flag=ok; [ "${HITS[$k]:-}" = "${WANT[$k]:-x}" ] || flag=MISMATCH
            printf '  %-13s hits %10s / %-10s %-8s %s\n' "$tool" "${HITS[$k]:-?}" "${WANT[$k]:-?}" "$flag" "${NOTE[$k]:-}"
            [ -z "${STACKCHECK[$k]:-}" ] || echo "                stack map: ${STACKCHECK[$k]}"
            [ -z "${BPFSTACK[$k]:-}" ] || echo "                bpftrace ustack: ${BPFSTACK[$k]}"
            case ${STACKCHECK[$k]:-} in WRONG*) FAILED=1 ;; esac
        done
        [ -z "${NOTE[$v/$l/bare]:-}" ] || echo "  bare: ${NOTE[$v/$l/bare]}"
    done
done
if [ "$FAILED" = 1 ]; then
    echo
    echo "WARNING: some rows failed (\"fail\", MISMATCH or WRONG above): their timing is not valid."
    echo "Logs: $WORK (rerun with --keep to keep them)."
fi
echo
echo "benchmark run time: ${SECONDS} s; logs: $WORK$([ "$KEEP" = 1 ] || echo " (removed; --keep keeps them)")"
