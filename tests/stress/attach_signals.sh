#!/usr/bin/env bash
# On-demand stress (not in make check): a signal sent to `ktap -x PID` at a random instant in
# its first WINDOW ms must never harm the traced process. The target is tests/target's hotloop
# (2 threads in a tight loop checking their own results, and a text check on SIGUSR1).
#
#   tests/stress/attach_signals.sh KTAP HOTLOOP [SIGNAL] [TRIALS] [WINDOW_MS]
#   e.g. tests/stress/attach_signals.sh build/ktap build/tests/target/hotloop-64-O2 INT 25 60
#   KTAP_EXTRA_ARGS="-T 0.05" ...: ktap ends by itself, so the signal also lands in its detach
#
# Prints one line per harmed trial and a summary "SIGNAL: N trials, H harmed (...)"; exit 1
# when any trial harmed the target (it died, its results went wrong, or its code stayed
# modified).
set -u
ktap=$1 hotloop=$2 sig=${3:-INT} trials=${4:-25} window=${5:-60}
tmp=$(mktemp -d /tmp/ktap-attach-signals.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
harmed=0 died=0 wrong=0 modified=0
for ((i = 1; i <= trials; i++)); do
    rm -f "$tmp/in" "$tmp/out"
    mkfifo "$tmp/in"
    "$hotloop" 2 <"$tmp/in" >"$tmp/out" 2>&1 &
    hl=$!
    exec 3>"$tmp/in"
    for _ in $(seq 100); do grep -q '^ready' "$tmp/out" && break; sleep 0.02; done
    # shellcheck disable=SC2086  # KTAP_EXTRA_ARGS: extra options, split on purpose (e.g. "-T 0.05"
    # to signal ktap while it detaches)
    "$ktap" ${KTAP_EXTRA_ARGS:-} -x "$hl" -e 'global n; probe process.function("step") { n++ }
probe process.function("mix").return { n++ }' >/dev/null 2>&1 &
    kp=$!
    sleep "$(awk -v w="$window" -v r="$RANDOM" 'BEGIN { printf "%.3f", (r % (w + 1)) / 1000 }')"
    kill -"$sig" "$kp" 2>/dev/null
    for _ in $(seq 100); do kill -0 "$kp" 2>/dev/null || break; sleep 0.05; done
    kill -KILL "$kp" 2>/dev/null
    wait "$kp" 2>/dev/null
    sleep 0.3 # the agent's watchdog restores the code within ~100 ms of ktap's death
    why=""
    if ! kill -0 "$hl" 2>/dev/null; then
        wait "$hl" 2>/dev/null
        st=$?
        why="target died (wait status $st$( ((st > 128)) && echo ": signal $((st - 128))"))"
        died=$((died + 1))
    else
        before=$(grep -c '^text' "$tmp/out")
        kill -USR1 "$hl"
        for _ in $(seq 50); do [ "$(grep -c '^text' "$tmp/out")" -gt "$before" ] && break; sleep 0.02; done
        if [ "$(grep '^text' "$tmp/out" | tail -n 1)" != "text intact" ]; then
            why="code still modified"; modified=$((modified + 1))
        fi
    fi
    exec 3>&-
    wait "$hl" 2>/dev/null
    if [ -z "$why" ] && ! grep -q '^rounds=[0-9]* ok$' "$tmp/out"; then
        why="results wrong: $(tail -n 2 "$tmp/out" | tr '\n' ' ')"; wrong=$((wrong + 1))
    fi
    if [ -n "$why" ]; then harmed=$((harmed + 1)); echo "trial $i: $why"; fi
done
echo "SIG$sig: $trials trials, $harmed harmed ($died died, $wrong wrong results, $modified code left modified)"
[ "$harmed" = 0 ]
