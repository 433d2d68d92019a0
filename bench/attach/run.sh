#!/usr/bin/env bash
# Attach benchmark (issue 5): what one probe hit costs a live process under ktap and under
# bpftrace, per kernel uprobe path, and how long ktap takes from start to armed probes.
#
#   bench/attach/run.sh [options]
#     --ktap PATH           ktap binary (default: <repo>/build/ktap, or $KTAP)
#     --install-bpftrace    apt-get install -y bpftrace when it is missing (else its rows are skipped)
#     --no-bpftrace         skip bpftrace even when installed
#     --m32                 also run the matrix on the -m32 build of the target
#     --reps N              timed repetitions per measurement (default 7)
#     --scale X             multiply every call count by X (default 1; 0.2 for a quick look)
#     --arm-reps N          repetitions of each start-to-armed measurement (default 5)
#     --funcs "F ..."       functions to measure (default: leaf_push leaf_nop5 leaf_other)
#     --clock cpu|wall      time the loops by the thread's CPU clock (default: time the thread
#                           spends preempted by other work does not count; time in the kernel on
#                           its behalf, e.g. in a uprobe, does) or by CLOCK_MONOTONIC
#     --no-breakdown        skip the extra ktap rows (empty handlers, return count, clock cost)
#     --no-snapshot         run ktap where it is (default: run a copy of ktap and its lib/,
#                           lib32/, libexec/ folders, so that a rebuild during the run cannot
#                           swap the agent under a process that already has it loaded)
#     --keep                keep the work folder (logs, tracer outputs)
#     --static              link the targets statically (ktap's freestanding agent, loaded by
#                           ktap itself: its thread-pointer lookup instead of TLS)
#
# One target process per architecture serves the whole matrix: it idles between commands, the
# driver attaches a tool, waits until the tool reports its probes armed, asks the target to time
# REPS loops of CALLS calls (clock_gettime inside the target), then detaches the tool and checks
# the tool's hit count against the calls the target made. Bare loops are timed between tools in
# the same process, so the baseline is the same code, the same addresses and the same run.
# overhead per hit = median ns/call under the tool - median ns/call bare (pooled bare reps).
set -u -o pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
# shellcheck source=../common/driver.sh
. "$HERE/../common/driver.sh"
KTAP=${KTAP:-$REPO/build/ktap}
INSTALL_BPF=0
USE_BPF=1
M32=0
REPS=7
SCALE=1
ARM_REPS=5
FUNCS="leaf_push leaf_nop5 leaf_other"
KEEP=0
CLOCK=cpu
BREAKDOWN=1
SNAPSHOT=1
LDSTATIC=

while [ $# -gt 0 ]; do
    case "$1" in
    --ktap) KTAP=$2; shift ;;
    --install-bpftrace) INSTALL_BPF=1 ;;
    --no-bpftrace) USE_BPF=0 ;;
    --m32) M32=1 ;;
    --reps) REPS=$2; shift ;;
    --scale) SCALE=$2; shift ;;
    --arm-reps) ARM_REPS=$2; shift ;;
    --funcs) FUNCS=$2; shift ;;
    --keep) KEEP=1 ;;
    --clock) CLOCK=$2; shift ;;
    --no-breakdown) BREAKDOWN=0 ;;
    --no-snapshot) SNAPSHOT=0 ;;
    --static) LDSTATIC=-static ;;
    -h|--help) sed -n '2,/^[^#]/{/^#/p}' "$0"; exit 0 ;;
    *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
    esac
    shift
done

case $CLOCK in cpu|wall) ;; *) die "--clock cpu or wall" ;; esac
[ -x "$KTAP" ] || die "no ktap binary at $KTAP (build it: cmake --build build --target ktap)"
[ "$(id -u)" = 0 ] || echo "run.sh: warning: not root; attaching needs ptrace rights (and bpftrace needs root)" >&2

driver_setup attach

calls() { awk -v n="$1" -v s="$SCALE" 'BEGIN { v = int(n * s); print (v < 100 ? 100 : v) }'; }

snapshot_ktap

# ---------------------------------------------------------------------------------------------
# build the targets
CC=${CC:-gcc}
log "building targets in $WORK"
$CC -O2 -g $LDSTATIC -o "$WORK/bench_target" "$HERE/bench_target.c" -lpthread || die "cannot build bench_target"
ARCHES="x86_64"
if [ "$M32" = 1 ]; then
    if $CC -m32 -O2 -g $LDSTATIC -o "$WORK/bench_target32" "$HERE/bench_target.c" -lpthread 2>"$WORK/m32.err"; then
        ARCHES="x86_64 i386"
    else
        log "run.sh: -m32 build failed (multilib missing?), skipping i386: $(head -1 "$WORK/m32.err")"
    fi
fi
# 1,000 distinct small functions for the start-to-armed measurement
{
    echo '#include <stdio.h>'
    echo '#include <unistd.h>'
    echo 'volatile unsigned kbf_sink;'
    for i in $(seq -f '%04g' 0 999); do
        echo "__attribute__((noipa, used)) unsigned kbf_$i(unsigned x) { kbf_sink = x; return x * $((10#$i + 3))u + $((10#$i))u; }"
    done
    echo 'int main(void) {'
    echo '  unsigned s = 0;'
    for i in $(seq -f '%04g' 0 999); do echo "  s += kbf_$i(s);"; done
    echo '  printf("ready %u\n", s); fflush(stdout);'
    echo '  char b[64]; while (read(0, b, sizeof b) > 0) {}'
    echo '  return 0; }'
} > "$WORK/many.c"
$CC -O2 $LDSTATIC -o "$WORK/many_target" "$WORK/many.c" || die "cannot build the 1,000-function target"

# ---------------------------------------------------------------------------------------------
# bpftrace
find_bpftrace

# ---------------------------------------------------------------------------------------------
# the target and the tools: ../common/driver.sh (start_target, tcmd, measure, ktap_start,
# ktap_stop, bpf_start, bpf_stop)
kernel_path() {  # what the kernel has mapped into the target for its uprobes so far
    local m
    m=$(grep -o '\[uprobes[a-z-]*\]' "/proc/$TPID/maps" 2>/dev/null | sort -u | tr '\n' ' ')
    echo "${m:-no-xol-page}"
}

# ---------------------------------------------------------------------------------------------
# the matrix
declare -A BARE_REPS BARE BARE_RANGE OVH MED HITS WANT NOTE SCRIPT KPATH
TOOLS="ktap_entry ktap_ret"
[ "$BREAKDOWN" = 1 ] && TOOLS="$TOOLS ktap_entry_empty ktap_entry_clock ktap_ret_empty ktap_ret_count"
[ -n "$BPF" ] && TOOLS="$TOOLS bpf_entry bpf_ret"

# the two measured cases of the issue, in ktap's syntax and in bpftrace's
SCRIPT[ktap_entry]='global c; probe process.function("FN") { c <<< 1 }'
SCRIPT[ktap_ret]='global lat; probe process.function("FN").return { lat <<< local_clock_ns() - @entry(local_clock_ns()) } probe end { print(@hist_log(lat)) }'
SCRIPT[bpf_entry]='uprobe:BIN:FN { @c = count(); }'
SCRIPT[bpf_ret]='uprobe:BIN:FN { @s[tid] = nsecs; } uretprobe:BIN:FN /@s[tid]/ { @h = hist(nsecs - @s[tid]); delete(@s[tid]); } END { clear(@s); }'
# the breakdown: where ktap's time goes (engine alone, the aggregate, the clock)
SCRIPT[ktap_entry_empty]='probe process.function("FN") { }'
SCRIPT[ktap_entry_clock]='global c; probe process.function("FN") { c <<< local_clock_ns() }'
SCRIPT[ktap_ret_empty]='probe process.function("FN").return { }'
SCRIPT[ktap_ret_count]='global c; probe process.function("FN").return { c <<< 1 }'

ncalls() {  # tool func
    case "$1" in
    bare|ktap_entry*) calls 10000000 ;;
    ktap_ret*) calls 2000000 ;;
    bpf_*) if [ "$2" = leaf_other ] || [ "$2" = leaf_endbr ]; then calls 10000; else calls 100000; fi ;;
    esac
}

bare() {  # arch func
    local k=$1/$2
    measure "$2" "$(ncalls bare "$2")"
    BARE_REPS[$k]="${BARE_REPS[$k]:-} $M_REPS"
    [ "$M_OK" = ok ] || NOTE[$k/bare]="CHECKSUM BAD"
}

run_tool() {  # arch bin func tool
    local arch=$1 bin=$2 fn=$3 tool=$4 k="$1/$3/$4" name="$1.$3.$4" n script before during after
    n=$(ncalls "$tool" "$fn")
    script=${SCRIPT[$tool]//FN/$fn}
    script=${script//BIN/$bin}
    first_bytes "$fn"; before=$FB
    case $tool in
    ktap_*) ktap_start "$name" "$script" || { NOTE[$k]="ktap failed to attach (see $name.err)"; return; } ;;
    bpf_*) bpf_start "$name" "$script" || { NOTE[$k]="bpftrace failed to attach (see $name.err)"; return; } ;;
    esac
    first_bytes "$fn"; during=$FB
    measure "$fn" "$n"
    MED[$k]=$M_MED
    [ "$M_OK" = ok ] || NOTE[$k]="${NOTE[$k]:-}CHECKSUM BAD; "
    case $tool in
    ktap_*) ktap_stop "$name"; HITS[$k]=$STOP_HITS; NOTE[$k]="${NOTE[$k]:-}$STOP_NOTE"
            NOTE[$k]="${NOTE[$k]:-}$(sed -n 's/.* in \([0-9.]*\) ms[ .].*/armed in \1 ms;/p' <<<"$ARMED_LINE") entry ${before:0:10} -> ${during:0:10} while armed" ;;
    bpf_*) bpf_stop "$name"; HITS[$k]=$STOP_HITS; NOTE[$k]="${NOTE[$k]:-}$STOP_NOTE" ;;
    esac
    WANT[$k]=$((REPS * n))
    first_bytes "$fn"; after=$FB
    [ "$after" = "$before" ] || NOTE[$k]="${NOTE[$k]} TEXT NOT RESTORED ($after)"
    log "  $arch $fn $tool: $(fmt "$M_MED" 2) ns/call, hits ${HITS[$k]:-?} of ${WANT[$k]}"
}

for arch in $ARCHES; do
    bin=$WORK/bench_target; [ "$arch" = i386 ] && bin=$WORK/bench_target32
    start_target "$bin"
    sed -n '/^first bytes/p' "$TOUT" > "$WORK/firstbytes.$arch"
    funcs=$FUNCS
    [ "$arch" = i386 ] && funcs=${funcs//leaf_endbr/}
    for fn in $funcs; do
        log "$arch $fn"
        measure "$fn" "$(ncalls bare "$fn")"   # warm-up, not counted
        bare "$arch" "$fn"
        for tool in $TOOLS; do
            run_tool "$arch" "$bin" "$fn" "$tool"
            bare "$arch" "$fn"
        done
    done
    stop_target
    # Which kernel path bpftrace's uprobe took, per function: what the kernel mapped into a fresh
    # process after 1,000 hits ([uprobes]: the out-of-line single-step page; [uprobes-trampoline]:
    # the nop5 optimisation; none: the instruction was emulated). Mappings stay for the life of
    # a process, hence a fresh one per function.
    if [ -n "$BPF" ]; then
        for fn in $funcs; do
            start_target "$bin" "path.$fn"
            script=${SCRIPT[bpf_entry]//FN/$fn}
            if bpf_start "$arch.$fn.path" "${script//BIN/$bin}"; then
                tcmd "m $fn 1 1000"
                KPATH[$arch/$fn]=$(kernel_path)
                bpf_stop "$arch.$fn.path"
            fi
            stop_target
        done
    fi
done

# ---------------------------------------------------------------------------------------------
# start to armed: 1 and 1,000 probe sites. Each repetition uses a fresh process (ktap injects its
# agent at the first attach) and then attaches a second time to the same process (agent already
# there). A fresh process each time also keeps clear of the engine's lifetime limit of 4,096
# probe registrations per process (FINDINGS.md).
declare -A ARM_WALL ARM_FIG ARM_TOTAL ARM_N ARM_WARN
ARM_CASES=()
arm_session() {  # key script pid
    local out t0 ta te fig n
    out=$( t0=$EPOCHREALTIME
           "$KTAP" -v -x "$3" -e "$2" -T 0.1 2>&1 >/dev/null | while IFS= read -r l; do
               case $l in
               *"Pass 5: armed"*) echo "ARMEDAT $EPOCHREALTIME $l" ;;
               *warning*|*error*) echo "WARN $l" ;;
               esac
           done
           echo "END $EPOCHREALTIME T0 $t0" )
    t0=$(sed -n 's/.* T0 \([0-9.]*\)$/\1/p' <<<"$out")
    te=$(sed -n 's/^END \([0-9.]*\) .*/\1/p' <<<"$out")
    ta=$(sed -n 's/^ARMEDAT \([0-9.]*\) .*/\1/p' <<<"$out")
    fig=$(sed -n 's/.* in \([0-9.]*\) ms[ .].*/\1/p' <<<"$out")
    n=$(sed -n 's/.*armed \([0-9]* of [0-9]*\) probe.*/\1/p' <<<"$out")
    ARM_WARN[$1]=$(( ${ARM_WARN[$1]:-0} + $(grep -c '^WARN' <<<"$out") ))
    [ -n "$ta" ] || { log "  $1: ktap did not report armed probes: $(grep -m1 '^WARN' <<<"$out")"; return; }
    ARM_WALL[$1]="${ARM_WALL[$1]:-} $(awk -v a="$ta" -v b="$t0" 'BEGIN { print (a - b) * 1000 }')"
    ARM_TOTAL[$1]="${ARM_TOTAL[$1]:-} $(awk -v a="$te" -v b="$t0" 'BEGIN { print (a - b) * 1000 }')"
    ARM_FIG[$1]="${ARM_FIG[$1]:-} $fig"
    ARM_N[$1]=$n
}
arm_case() {  # key script
    local r mpid i
    ARM_CASES+=("$1, first attach" "$1, second attach")
    for r in $(seq "$ARM_REPS"); do
        rm -f "$WORK/many.in"; mkfifo "$WORK/many.in"
        "$WORK/many_target" < "$WORK/many.in" > "$WORK/many.out" 2>&1 &
        mpid=$!
        PIDS_TO_KILL+=("$mpid")
        exec 4> "$WORK/many.in"   # the target runs until this closes
        for i in $(seq 500); do grep -q ready "$WORK/many.out" && break; sleep 0.01; done
        arm_session "$1, first attach" "$2" "$mpid"
        arm_session "$1, second attach" "$2" "$mpid"
        exec 4>&-
        wait "$mpid" 2>/dev/null
    done
    log "  start to armed, $1: $(echo "${ARM_WALL[$1, first attach]:-}" | median) ms (${ARM_N[$1, first attach]:-?} sites)"
}
log "start to armed"
arm_case "1 site, entry" 'global c; probe process.function("kbf_0000") { c <<< 1 }'
arm_case "1000 sites, entry" 'global c; probe process.function("kbf_*") { c <<< 1 }'
arm_case "1000 sites, return+@entry" 'global lat; probe process.function("kbf_*").return { lat <<< local_clock_ns() - @entry(local_clock_ns()) }'

# ---------------------------------------------------------------------------------------------
# report
echo
echo "=============================================================================================="
echo "ktap attach benchmark  $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "machine: $(nproc) CPUs, $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -1), kernel $(uname -r)"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "ktap: $KTAP_ORIG$([ "$SNAPSHOT" = 1 ] && echo " (run from a copy)"), repository at $(cd "$REPO" && git rev-parse --short HEAD 2>/dev/null)$(cd "$REPO" && [ -n "$(git status --porcelain -uno 2>/dev/null)" ] && echo " + uncommitted changes")"
echo "bpftrace: ${BPF_VERSION:-not installed, rows skipped}"
echo "reps per measurement: $REPS; calls per rep: bare/ktap entry $(ncalls bare x), ktap return $(ncalls ktap_ret x), bpftrace $(ncalls bpf_entry leaf_push) (push, nop5) / $(ncalls bpf_entry leaf_other) (other)"
echo
echo "Overhead per hit = median ns/call with the tool attached - median ns/call bare (bare reps"
echo "pooled over the run, measured between the tools in the same process). ns, medians; loops timed by"
echo "the $([ "$CLOCK" = cpu ] && echo "thread's CPU clock (CLOCK_THREAD_CPUTIME_ID)" || echo "wall clock (CLOCK_MONOTONIC)")."
echo "ktap entry:  global c; probe process.function(F) { c <<< 1 }"
echo "ktap return: probe process.function(F).return { lat <<< local_clock_ns() - @entry(local_clock_ns()) } + @hist_log"
echo "bpftrace entry:  uprobe:BIN:F { @c = count(); }"
echo "bpftrace return: uprobe @s[tid] = nsecs; uretprobe hist(nsecs - @s[tid]); delete(@s[tid])"

FAILED=0
ratio() { awk -v b="$1" -v k="$2" 'BEGIN { if (b == "" || k == "" || b == "nan" || k == "nan") { print "-"; exit }
    if (k <= 0.05) { printf ">%d (ktap within noise)", b / 0.05; exit } printf "%.0fx%s", b / k, b / k < 100 ? "*" : "" }'; }
# an overhead cell; "fail" when the tool's hit count was not the number of calls (the tool did
# not attach, did not count every call, or failed at exit): its timing is not a valid figure
cell() {
    if [ -n "${MED[$1]:-}" ] && [ "${HITS[$1]:-}" != "${WANT[$1]:-x}" ]; then echo fail; return; fi
    fmt "${OVH[$1]:-}" "${2:-1}"
}
row() { printf '%-11s %7s %9s | %10s %10s | %10s %10s | %9s %9s\n' "$@"; }

for arch in $ARCHES; do
    echo
    echo "--- $arch target"
    cat "$WORK/firstbytes.$arch"
    funcs=$FUNCS; [ "$arch" = i386 ] && funcs=${funcs//leaf_endbr/}
    for fn in $funcs; do
        b=$(echo "${BARE_REPS[$arch/$fn]:-}" | median)
        BARE[$arch/$fn]=$b
        BARE_RANGE[$arch/$fn]="$(echo "${BARE_REPS[$arch/$fn]:-}" | tr ' ,' '\n\n' | grep -v '^$' | sort -g | sed -n '1p;$p' | xargs printf '%.1f-%.1f')"
        for tool in $TOOLS; do
            m=${MED[$arch/$fn/$tool]:-}
            OVH[$arch/$fn/$tool]=$([ -n "$m" ] && awk -v m="$m" -v b="$b" 'BEGIN { print m - b }')
            [ -z "$m" ] || [ "${HITS[$arch/$fn/$tool]:-}" = "${WANT[$arch/$fn/$tool]:-x}" ] || {
                OVH[$arch/$fn/$tool]=""; FAILED=1; }
        done
    done
    echo
    echo "overhead per hit, ns (ns/call with the tool - ns/call bare), and bpftrace/ktap:"
    row function bare bare "ktap" "ktap" "bpftrace" "bpftrace" "ratio" "ratio"
    row "" ns/call min-max "entry" "ret+@entry" "uprobe" "latency" "entry" "return"
    for fn in $funcs; do
        row "$fn" "$(fmt "${BARE[$arch/$fn]}" 2)" "${BARE_RANGE[$arch/$fn]}" \
            "$(cell "$arch/$fn/ktap_entry")" "$(cell "$arch/$fn/ktap_ret")" \
            "$(cell "$arch/$fn/bpf_entry" 0)" "$(cell "$arch/$fn/bpf_ret" 0)" \
            "$(ratio "${OVH[$arch/$fn/bpf_entry]:-}" "${OVH[$arch/$fn/ktap_entry]:-}")" \
            "$(ratio "${OVH[$arch/$fn/bpf_ret]:-}" "${OVH[$arch/$fn/ktap_ret]:-}")"
    done
    echo "(* below the 100x of issue 5)"
    if [ -z "$BPF" ] && [ "$arch" = x86_64 ]; then
        echo
        echo "bpftrace was not measured in this run. Ratios against the bpftrace figures of peer-costs.md instead"
        echo "(same machine kind; uprobe count: push 749 / nop5 528 / other 9741 ns; uprobe+uretprobe"
        echo "latency hist: push 1834 / nop5 1619 / other 10923 ns):"
        for fn in $funcs; do
            case $fn in
            leaf_push) be=749; br=1834 ;; leaf_nop5) be=528; br=1619 ;; *) be=9741; br=10923 ;;
            esac
            printf '  %-11s entry %-8s return %s\n' "$fn" "$(ratio $be "${OVH[$arch/$fn/ktap_entry]:-}")" \
                "$(ratio $br "${OVH[$arch/$fn/ktap_ret]:-}")"
        done
    fi
    if [ "$BREAKDOWN" = 1 ]; then
        echo
        echo "ktap breakdown, overhead per hit, ns:"
        printf '%-11s | %9s %9s %11s | %9s %9s %12s\n' function "entry {}" "c <<< 1" "c <<< clock" "ret {}" "c <<< 1" "@entry hist"
        for fn in $funcs; do
            printf '%-11s | %9s %9s %11s | %9s %9s %12s\n' "$fn" "$(cell "$arch/$fn/ktap_entry_empty")" \
                "$(cell "$arch/$fn/ktap_entry")" "$(cell "$arch/$fn/ktap_entry_clock")" \
                "$(cell "$arch/$fn/ktap_ret_empty")" "$(cell "$arch/$fn/ktap_ret_count")" "$(cell "$arch/$fn/ktap_ret")"
        done
    fi
    echo
    echo "hit counts (the tool's count / calls made while armed) and notes:"
    for fn in $funcs; do
        for tool in $TOOLS; do
            k=$arch/$fn/$tool
            flag=ok; [ "${HITS[$k]:-}" = "${WANT[$k]:-x}" ] || flag=MISMATCH
            printf '  %-11s %-17s %10s / %-10s %-8s %s\n' "$fn" "$tool" "${HITS[$k]:-?}" "${WANT[$k]:-?}" "$flag" "${NOTE[$k]:-}"
        done
        [ -z "${NOTE[$arch/$fn/bare]:-}" ] || echo "  $fn bare: ${NOTE[$arch/$fn/bare]}"
    done
    if [ -n "$BPF" ]; then
        echo
        echo "kernel uprobe path taken (mappings in a fresh process after 1,000 bpftrace uprobe hits):"
        for fn in $funcs; do
            case ${KPATH[$arch/$fn]:-?} in
            *uprobes-trampoline*) what="nop5 optimisation (call to [uprobes-trampoline], no trap)" ;;
            *"[uprobes]"*) what="int3 + single-step out of line ([uprobes] XOL page)" ;;
            no-xol-page*) what="int3, instruction emulated (nothing mapped)" ;;
            *) what="?" ;;
            esac
            printf '  %-11s %-40s %s\n' "$fn" "${KPATH[$arch/$fn]:-?}" "$what"
        done
    fi
done

echo
echo "--- start to armed: ktap -v -x PID -e SCRIPT -T 0.1 on an idle process with 1,000 functions,"
echo "    ms, median of $ARM_REPS (each repetition: a fresh process, then a second ktap on the same process)"
printf '%-45s %-13s %13s %15s %13s %9s\n' case "sites armed" "start->armed" '"armed in X ms"' "total wall" warnings
for c in "${ARM_CASES[@]}"; do
    printf '%-45s %-13s %13s %15s %13s %9s\n' "$c" "${ARM_N[$c]:-?}" "$(fmt "$(echo "${ARM_WALL[$c]:-}" | median)" 1)" \
        "$(fmt "$(echo "${ARM_FIG[$c]:-}" | median)" 1)" "$(fmt "$(echo "${ARM_TOTAL[$c]:-}" | median)" 1)" "${ARM_WARN[$c]:-0}"
done
echo "start->armed: from the exec of ktap to its 'Pass 5: armed' line. \"armed in X ms\": ktap's own figure"
echo "(handler code generation for the target, agent injection, linking, placing the sites). total wall: ktap"
echo "start to exit with -T 0.1 (includes 100 ms of tracing, the end of the session and the detach)."
if [ "$FAILED" = 1 ]; then
    echo
    echo "WARNING: some rows failed (\"fail\", MISMATCH above): their tool did not count every call, so"
    echo "their timing is not used. Logs: $WORK (rerun with --keep to keep them)."
fi
echo
echo "benchmark run time: ${SECONDS} s; logs: $WORK$([ "$KEEP" = 1 ] || echo " (removed; --keep keeps them)")"
