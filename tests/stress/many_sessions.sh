#!/usr/bin/env bash
# On-demand stress (not in make check): N consecutive `ktap -x PID -T 0.02` sessions against one
# hot multi-threaded process (tests/target's hotloop, 4 threads checking their own results),
# alternating two scripts whose sites overlap (entry, return and @entry-style counting), so that
# every session reuses the probe records and trampoline slots of earlier ones.
#
#   tests/stress/many_sessions.sh KTAP HOTLOOP [N]
#   e.g. tests/stress/many_sessions.sh build/ktap build/tests/target/hotloop-64-O2 10000
# KTAP_STRESS_BACKTRACE=1: the first script also unwinds the hot threads' stacks on every hit
# (ubacktrace(), ucallers() as a map key, one print_ubacktrace()).
#
# Run a copy of ktap and its lib*/ folders when the build may change meanwhile (a rebuilt agent
# is a new agent in the target). Prints a line per failed session and, every 500 sessions, the
# target's VmSize and VmRSS (flat when records and slots are reused); at the end the target's
# own verdict ("rounds=N ok", "text intact"). Exit 1 when a session failed or the target died.
set -u
ktap=$1 hotloop=$2 n=${3:-10000}
tmp=$(mktemp -d /tmp/ktap-many-sessions.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
mkfifo "$tmp/in"
"$hotloop" 4 <"$tmp/in" >"$tmp/out" 2>&1 &
hl=$!
exec 3>"$tmp/in"
for _ in $(seq 100); do grep -q '^ready' "$tmp/out" && break; sleep 0.05; done
fails=0 t0=$(date +%s)
memory() { grep -E 'VmSize|VmRSS' "/proc/$hl/status" | tr -s ' \t' ' ' | tr '\n' ' '; }
for ((i = 1; i <= n; i++)); do
    if ((i % 2)) && [ "${KTAP_STRESS_BACKTRACE:-0}" = 1 ]; then
        out=$("$ktap" -T 0.02 -x "$hl" -e 'global n, m, c
probe process.function("step").return { n++; s = ubacktrace() }
probe process.function("mix") { m++; c[ucallers(3)] <<< 1; if (m == 1) print_ubacktrace() }
probe end { k = 0; foreach (s in c) k++; printf("%d\n", n > 0 && m > 0 && k == 1) }' 2>"$tmp/err" |
            tail -1)
    elif ((i % 2)); then
        out=$("$ktap" -T 0.02 -x "$hl" -e 'global n, m
probe process.function("step").return { n++ }
probe process.function("mix") { m++ }
probe end { printf("%d\n", n > 0 && m > 0) }' 2>"$tmp/err")
    else
        out=$("$ktap" -T 0.02 -x "$hl" -e 'global inr, c, good, bad
probe process.function("work_round") { inr[tid()] = 1; c[tid()] = 0 }
probe process.function("step").return { if (inr[tid()]) c[tid()]++ }
probe process.function("work_round").return {
  if (inr[tid()]) { if (c[tid()] == 1000) good++; else bad++ }
}
probe end { printf("%d\n", bad == 0) }' 2>"$tmp/err")
    fi
    if [ "$out" != 1 ] || [ -s "$tmp/err" ]; then
        fails=$((fails + 1))
        echo "session $i: output '$out', stderr: $(head -c 300 "$tmp/err")"
    fi
    kill -0 "$hl" 2>/dev/null || { echo "the target died in session $i"; exit 1; }
    ((i % 500 == 0 || i == 1)) && echo "session $i: $(($(date +%s) - t0)) s, $fails failed, $(memory)"
done
kill -USR1 "$hl"
sleep 0.5
exec 3>&-
wait "$hl"
echo "$n sessions, $fails failed; the target: $(grep -E '^(rounds|MISMATCH|text)' "$tmp/out" | tr '\n' ' ')"
[ "$fails" = 0 ]
