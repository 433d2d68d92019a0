# shellcheck shell=bash disable=SC2034  # sourced; the functions set globals for the caller
# bench/common/driver.sh: the driver functions shared by bench/attach/run.sh and
# bench/backtrace/run.sh (sourced; bash). One long-lived target process is driven over a fifo
# (fd 3): it idles between commands, a tool attaches with -x/-p PID, the driver waits until the
# tool is armed, asks the target to time REPS loops of CALLS calls (bench_reps.h answers), then
# stops the tool and reads its hit count.
#
# The caller sets, before using these: WORK (work folder, from driver_setup), KTAP, KEEP,
# SNAPSHOT, REPS, CLOCK (cpu|wall), BPF (bpftrace binary or empty), USE_BPF, INSTALL_BPF.
# Functions set globals (never call them in $(...)): TPID TOUT TSEEN T_LINE, M_MED M_OK M_REPS,
# FB, TOOLPID ARMED_LINE, STOP_RC STOP_NOTE STOP_HITS, KTAP_ORIG BPF_VERSION.

die() { echo "run.sh: $*" >&2; exit 1; }
log() { echo "$*" >&2; }
# median of the numbers on stdin (one or more per line, comma or space separated)
median() { tr ', ' '\n\n' | grep -v '^$' | sort -g | awk '{ a[NR] = $1 } END {
    if (NR == 0) { print "nan"; exit } if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
fmt() { awk -v v="$1" -v d="${2:-1}" 'BEGIN { if (v == "" || v == "nan") print "-"; else printf "%.*f", d, v }'; }

# driver_setup NAME: the work folder /tmp/ktap-bench-NAME.XXXXXX, removed at exit (kept with
# KEEP=1), and every process in PIDS_TO_KILL killed at exit
driver_setup() {
    WORK=$(mktemp -d "/tmp/ktap-bench-$1.XXXXXX")
    PIDS_TO_KILL=()
    trap driver_cleanup EXIT
    trap 'exit 130' INT TERM
}
driver_cleanup() {
    exec 3>&- 4>&- 2>/dev/null
    for p in "${PIDS_TO_KILL[@]}"; do kill "$p" 2>/dev/null; done
    wait 2>/dev/null
    if [ "$KEEP" = 1 ]; then echo "work folder kept: $WORK"; else rm -rf "$WORK"; fi
}

# With SNAPSHOT=1, run a private copy of ktap and its lib/, lib32/, libexec/ folders (ktap loads
# its agent from next to its binary), so that a rebuild of the shared build folder during the
# run cannot swap the agent under a process that already has it loaded.
snapshot_ktap() {
    KTAP_ORIG=$KTAP
    if [ "$SNAPSHOT" = 1 ]; then
        mkdir -p "$WORK/ktap-copy"
        cp -a "$KTAP" "$WORK/ktap-copy/ktap" || die "cannot copy $KTAP"
        for d in lib lib32 libexec; do
            [ -d "$(dirname "$KTAP")/$d" ] && cp -a "$(dirname "$KTAP")/$d" "$WORK/ktap-copy/"
        done
        KTAP=$WORK/ktap-copy/ktap
    fi
    "$KTAP" -V > /dev/null 2>&1 || die "$KTAP does not run (being rebuilt?)"
}

# BPF: bpftrace's path when USE_BPF=1 and it is installed (with INSTALL_BPF=1, apt-get installs it)
find_bpftrace() {
    BPF=""
    if [ "$USE_BPF" = 1 ]; then
        BPF=$(command -v bpftrace || true)
        if [ -z "$BPF" ] && [ "$INSTALL_BPF" = 1 ]; then
            log "installing bpftrace (apt-get install -y bpftrace)"
            (apt-get install -y bpftrace || { apt-get update && apt-get install -y bpftrace; }) \
                > "$WORK/apt.log" 2>&1 || log "run.sh: bpftrace install failed, see $WORK/apt.log"
            BPF=$(command -v bpftrace || true)
        fi
        [ -n "$BPF" ] || log "bpftrace not installed: its rows are skipped (--install-bpftrace installs it)"
    fi
    BPF_VERSION=$([ -n "$BPF" ] && "$BPF" --version 2>/dev/null | head -1)
}

# ---------------------------------------------------------------------------------------------
# the target process, driven over a fifo
TPID=""
TOUT=""
TSEEN=0
start_target() {  # binary [log tag]
    local fifo=$WORK/in.$$.$RANDOM
    mkfifo "$fifo"
    TOUT=$WORK/target.$(basename "$1")${2:+.$2}.out
    "$1" < "$fifo" > "$TOUT" 2>&1 &
    TPID=$!
    PIDS_TO_KILL+=("$TPID")
    exec 3> "$fifo"
    rm -f "$fifo"
    local i
    for i in $(seq 500); do grep -q '^ready' "$TOUT" && break; sleep 0.01; done
    grep -q '^ready' "$TOUT" || { cat "$TOUT" >&2; die "target $1 did not start"; }
    TSEEN=$(wc -l < "$TOUT")
}
stop_target() { echo q >&3; exec 3>&-; wait "$TPID" 2>/dev/null; }
# sends a command and sets T_LINE to the target's one-line answer (never call it in $(...):
# TSEEN, the number of answer lines consumed, must stay in this shell)
tcmd() {
    echo "$1" >&3
    TSEEN=$((TSEEN + 1))
    T_LINE=""
    while [ "$(wc -l < "$TOUT")" -lt "$TSEEN" ]; do
        kill -0 "$TPID" 2>/dev/null || { T_LINE="target died"; return 1; }
        sleep 0.005
    done
    T_LINE=$(sed -n "${TSEEN}p" "$TOUT")
}
# measure FUNC CALLS -> sets M_MED M_REPS M_OK
measure() {
    local line
    tcmd "m $1 $REPS $2"
    line=$T_LINE
    if [[ $line =~ \ med=([0-9.]+).*sum=([A-Za-z]+)\ reps=([0-9.,]+)\ wmed=([0-9.]+)\ wreps=([0-9.,]+) ]]; then
        M_OK=${BASH_REMATCH[2]}
        if [ "$CLOCK" = cpu ]; then M_MED=${BASH_REMATCH[1]}; M_REPS=${BASH_REMATCH[3]}
        else M_MED=${BASH_REMATCH[4]}; M_REPS=${BASH_REMATCH[5]}; fi
    else
        M_MED=nan; M_OK=BAD; M_REPS=""
        log "run.sh: bad answer from the target: $line"
    fi
}
# first_bytes FUNC -> sets FB to the function's first 8 bytes (hex)
first_bytes() { tcmd b; FB=$(tr ' ' '\n' <<<"$T_LINE" | sed -n "s/^$1=//p"); }

# ---------------------------------------------------------------------------------------------
# tools: start (returns when armed), stop (prints the tool's hit count)
TOOLPID=""
wait_for() {  # file pattern pid
    local i
    for i in $(seq 6000); do
        grep -q "$2" "$1" 2>/dev/null && return 0
        kill -0 "$3" 2>/dev/null || return 1
        sleep 0.01
    done
    return 1
}
ktap_start() {  # name script [ktap options...]
    "$KTAP" -v -t "${@:3}" -x "$TPID" -e "$2" > "$WORK/$1.out" 2> "$WORK/$1.err" &
    TOOLPID=$!
    wait_for "$WORK/$1.err" 'Pass 5: armed' "$TOOLPID" || { cat "$WORK/$1.err" >&2; return 1; }
    ARMED_LINE=$(grep 'Pass 5: armed' "$WORK/$1.err")
}
# the stop functions run in this shell (wait needs the tool to be our child); they set STOP_HITS
# stop_tool NAME [RESEND]: SIGINT, then up to 30 s for the tool to finish (with RESEND, SIGINT
# again every 2 s: bpftrace 0.17 sometimes misses a SIGINT that arrives while its probes are
# quiet and waits for the next event forever), then SIGTERM and SIGKILL; noted in STOP_NOTE;
# sets STOP_RC
stop_tool() {
    local i sig
    STOP_NOTE=""
    kill -INT "$TOOLPID" 2>/dev/null
    for i in $(seq 600); do
        kill -0 "$TOOLPID" 2>/dev/null || break
        if [ -n "${2:-}" ] && [ $((i % 40)) = 0 ]; then
            [ $i = 40 ] && STOP_NOTE="${STOP_NOTE}needed SIGINT again; "
            kill -INT "$TOOLPID" 2>/dev/null
        fi
        sleep 0.05
    done
    for sig in TERM KILL; do
        kill -0 "$TOOLPID" 2>/dev/null || break
        STOP_NOTE="${STOP_NOTE}still running 30 s after SIGINT, sent SIG$sig; "
        log "run.sh: $1 still running 30 s after SIGINT, sending SIG$sig"
        kill -$sig "$TOOLPID" 2>/dev/null
        for i in $(seq 100); do kill -0 "$TOOLPID" 2>/dev/null || break; sleep 0.05; done
    done
    wait "$TOOLPID" 2>/dev/null; STOP_RC=$?
}
ktap_stop() {  # name
    stop_tool "$1"
    [ $STOP_RC = 0 ] || log "run.sh: ktap exited with status $STOP_RC (see $WORK/$1.err)"
    STOP_HITS=$(sed -n 's/.*, hits: \([0-9]*\),.*/\1/p' "$WORK/$1.err" | head -1)
}
bpf_start() {  # name script
    "$BPF" -p "$TPID" -e "BEGIN { printf(\"ARMED\\n\"); } $2" > "$WORK/$1.out" 2> "$WORK/$1.err" &
    TOOLPID=$!
    wait_for "$WORK/$1.out" '^ARMED' "$TOOLPID" || { cat "$WORK/$1.err" >&2; return 1; }
    sleep 0.5   # bpftrace's probes go live one by one, some ms after BEGIN (peer-costs.md)
}
# bpf_stop NAME: hits = @c, else the histogram's total plus the counts of a stack-keyed map
# (@[ustack] = count(): "]: N" lines)
bpf_stop() {
    stop_tool "$1" resend
    STOP_HITS=$(awk '/^@c: / { c = $2; found = 1 }
         /^\[/ { n = $0; sub(/^[^)]*\)[ \t]*/, "", n); split(n, f, " "); h += f[1]; found = 1 }
         /^\]: [0-9]+$/ { h += $2; found = 1 }
         END { if (found) print (c != "" ? c : h) }' "$WORK/$1.out")
}
