#!/usr/bin/env bash
# Profile benchmark (issue 18, docs/profiling.md): ktap's sampling next to perf's on the same
# process at the same time, and what sampling costs the program.
#
#   bench/profile/run.sh [options]
#     --ktap PATH        ktap binary (default: <repo>/build/ktap, or $KTAP)
#     --m32              also the -m32 build of the program
#     --threads "T ..."  thread counts (default "1 2 4")
#     --seconds S        CPU seconds per thread of each run (default 4)
#     --reps N           runs per overhead measurement, alternating bare and traced (default 5)
#     --no-perf          skip perf (shares against the known split only)
#     --keep             keep the work folder
#
# The program is tests/target/profile.c, built -O2: each thread spends S seconds of its CPU time
# in rounds of work_a, work_b and work_c, 6, 3 and 1 units of the same computation (the truth:
# 60/30/10 %).
# Shares: the program starts; ktap -x PID (timer.profile, s[usymname(uaddr())] <<< 1) and
#   perf record -e cpu-clock -F 250 -p PID sample it at the same time for S - 1 seconds; each
#   tool's shares of the three functions are printed next to the truth.
# Overhead: the program's own throughput (rounds in its fixed CPU time), bare and under
#   ktap -c with timer.profile, and with perf.sw.cpu_clock.sample(100000) (10 kHz asked; the
#   kernel's tick caps CPU-time timers, see docs/profiling.md); REPS runs each, alternating,
#   medians; overhead = 1 - rounds traced / rounds bare.
set -u -o pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
KTAP=${KTAP:-$REPO/build/ktap}
M32=0
THREADS="1 2 4"
SECONDS_CPU=4
REPS=5
PERF=1
KEEP=0
while [ $# -gt 0 ]; do
    case "$1" in
    --ktap) KTAP=$2; shift ;;
    --m32) M32=1 ;;
    --threads) THREADS=$2; shift ;;
    --seconds) SECONDS_CPU=$2; shift ;;
    --reps) REPS=$2; shift ;;
    --no-perf) PERF=0 ;;
    --keep) KEEP=1 ;;
    -h | --help) sed -n '2,/^set -u/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
    esac
    shift
done
[ -x "$KTAP" ] || { echo "run.sh: no ktap at $KTAP (cmake --build build)" >&2; exit 1; }
command -v perf >/dev/null || PERF=0
WORK=$(mktemp -d /tmp/ktap-bench-profile.XXXXXX)
cleanup() { [ "$KEEP" = 1 ] && echo "work folder kept: $WORK" || rm -rf "$WORK"; }
trap cleanup EXIT

median() { sort -g | awk '{ a[NR] = $1 } END { if (NR == 0) print "nan"; else if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
# shares FILE: "a b c" percentages of work_a/b/c among the three ("NAME COUNT" lines)
shares() {
    awk '$1 == "work_a" { a += $2 } $1 == "work_b" { b += $2 } $1 == "work_c" { c += $2 }
         END { t = a + b + c; if (!t) { print "- - - (0)"; exit }
               printf "%.1f %.1f %.1f (%d)\n", 100 * a / t, 100 * b / t, 100 * c / t, t }' "$1"
}

ARCHS="64"
[ "$M32" = 1 ] && ARCHS="64 32"
for bits in $ARCHS; do
    prog=$WORK/profile-$bits
    flags=(-O2 -g -pthread)
    [ "$bits" = 32 ] && flags+=(-m32)
    gcc "${flags[@]}" "$REPO/tests/target/profile.c" -o "$prog" || exit 1
    echo "== $bits-bit, $SECONDS_CPU s of CPU time per thread"
    echo "shares of work_a / work_b / work_c in % (samples); truth 60 / 30 / 10"
    printf "%-8s %-26s %-26s\n" threads ktap perf
    for t in $THREADS; do
        "$prog" own "$SECONDS_CPU" "$t" >"$WORK/prog.out" &
        pid=$!
        sleep 0.5
        window=$(awk -v s="$SECONDS_CPU" 'BEGIN { print s - 1 }')
        if [ "$PERF" = 1 ]; then
            perf record -q -e cpu-clock -F 250 -p "$pid" -o "$WORK/perf.data" -- sleep "$window" \
                >/dev/null 2>"$WORK/perf.err" &
            ppid=$!
        fi
        "$KTAP" -x "$pid" -T "$window" -o "$WORK/ktap.out" -e 'global s
probe timer.profile { s[usymname(uaddr())] <<< 1 }
probe end { foreach (f in s-) printf("%s %d\n", f, @count(s[f])) }' 2>"$WORK/ktap.err"
        kshares=$(shares "$WORK/ktap.out")
        pshares="-"
        if [ "$PERF" = 1 ]; then
            wait "$ppid"
            perf script -i "$WORK/perf.data" -F ip,sym 2>/dev/null | awk '{ n[$2]++ } END { for (f in n) print f, n[f] }' \
                >"$WORK/perf.out"
            pshares=$(shares "$WORK/perf.out")
        fi
        wait "$pid"
        printf "%-8s %-26s %-26s\n" "$t" "$kshares" "$pshares"
    done
    echo "overhead on the program's throughput (rounds in its fixed CPU time), medians of $REPS runs"
    printf "%-8s %-12s %-22s %-22s\n" threads bare "timer.profile" "sample(100000)"
    for t in $THREADS; do
        : >"$WORK/bare" ; : >"$WORK/prof" ; : >"$WORK/fast"
        for ((r = 0; r < REPS; r++)); do
            "$prog" own "$SECONDS_CPU" "$t" | sed -n 's/^rounds=\([0-9]*\).*/\1/p' >>"$WORK/bare"
            "$KTAP" -o /dev/null -e 'global n
probe timer.profile { n++ }' -c "$prog own $SECONDS_CPU $t" 2>/dev/null |
                sed -n 's/^rounds=\([0-9]*\).*/\1/p' >>"$WORK/prof"
            "$KTAP" -o /dev/null -e 'global n
probe perf.sw.cpu_clock.sample(100000) { n++ }' -c "$prog own $SECONDS_CPU $t" 2>/dev/null |
                sed -n 's/^rounds=\([0-9]*\).*/\1/p' >>"$WORK/fast"
        done
        b=$(median <"$WORK/bare")
        p=$(median <"$WORK/prof")
        f=$(median <"$WORK/fast")
        printf "%-8s %-12s %-22s %-22s\n" "$t" "$b" \
            "$p ($(awk -v b="$b" -v x="$p" 'BEGIN { printf "%.2f%%", 100 * (1 - x / b) }'))" \
            "$f ($(awk -v b="$b" -v x="$f" 'BEGIN { printf "%.2f%%", 100 * (1 - x / b) }'))"
    done
done
