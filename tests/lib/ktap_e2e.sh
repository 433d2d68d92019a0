# shellcheck shell=bash
# Helpers shared by the end-to-end drivers (tests/target/run_target_tests.sh,
# tests/dwarf/run_dwarf_tests.sh): checks that count failures, ktap in the foreground or the
# background with its output in files, the check that nothing ktap started outlives it, and a
# temporary folder removed at exit. Sourced, not run.
#
# Set before sourcing:
#   ktap          path of the ktap binary (used when kt/kt_bg run, not at sourcing)
#   E2E_NAME      the driver's name (target, dwarf): the temporary folder is /tmp/ktap-NAME.XXXXXX,
#                 the tag ktap-NAME-PID-RANDOM, and the environment switches are
#                 KTAP_<NAME>_KEEP=1 (keep the temporary folder, its path is printed) and
#                 KTAP_<NAME>_VERBOSE=1 (print every ktap command line)
#   E2E_TIMEOUT   seconds before one kt session counts as hung when KTAP_TIMEOUT is not set
#   E2E_SAME_FILE_MSG  optional: what expect_same_file says when the files differ
#                 (default "files differ (< expected, > got)")
# Sets: tmp (the temporary folder), tag, failures, bg_pids (PIDs that cleanup kills at exit),
# kt_rc / kt_pid / bg_rc (see kt, kt_bg, wait_bg). The EXIT trap runs cleanup.
# Environment, besides the above: KTAP_TIMEOUT; KTAP_WRAP, a command (split on blanks) that kt
# runs ktap under, e.g. "setarch x86_64 -R".

: "${E2E_NAME:?set before sourcing ktap_e2e.sh}" "${E2E_TIMEOUT:?set before sourcing ktap_e2e.sh}"
e2e_upper=${E2E_NAME^^}
e2e_keep_var=KTAP_${e2e_upper}_KEEP
e2e_verbose_var=KTAP_${e2e_upper}_VERBOSE
e2e_verbose() { [ "${!e2e_verbose_var:-0}" = 1 ]; }

tmp=$(mktemp -d "/tmp/ktap-$E2E_NAME.XXXXXX")
bg_pids=()
cleanup() {
    local p
    for p in "${bg_pids[@]}" $(leftovers); do kill -KILL "$p" 2>/dev/null; done
    exec 3>&- 2>/dev/null
    if [ "${!e2e_keep_var:-0}" = 1 ]; then echo "kept $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT

failures=0
fail() { echo "  FAIL: $*"; failures=$((failures + 1)); }
note() { echo "  $*"; }
# show FILE [N]: the first N (15) lines of FILE, indented.
show() { sed 's/^/      | /' "$1" | head -"${2:-15}"; }
# elapsed T0: seconds since T0 (from date +%s.%N), two decimals.
elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }'; }

# expect_eq WHAT WANT GOT
expect_eq() {
    if [ "$2" != "$3" ]; then fail "$1: expected '$2', got '$3'"; fi
}
# expect_ne WHAT NOT-WANT GOT
expect_ne() {
    if [ "$2" = "$3" ]; then fail "$1: got '$3'"; fi
}
# expect_grep WHAT FILE ERE: FILE has a line matching ERE.
expect_grep() {
    grep -Eq -- "$3" "$2" || { fail "$1: no line matching /$3/ in $(basename "$2")"; show "$2"; }
}
# expect_no_grep WHAT FILE ERE: no line of FILE matches ERE.
expect_no_grep() {
    if grep -Eq -- "$3" "$2"; then fail "$1: unexpected line matching /$3/"; show "$2"; fi
}
# expect_same_file WHAT WANT GOT: the two files are equal (their diff is shown otherwise).
expect_same_file() {
    if ! cmp -s "$2" "$3"; then
        fail "$1: ${E2E_SAME_FILE_MSG:-files differ (< expected, > got)}"
        diff "$2" "$3" | head -20 | sed 's/^/      /'
    fi
}
# expect_clean_stderr WHAT FILE: nothing on stderr.
expect_clean_stderr() {
    if [ -s "$2" ]; then fail "$1: unexpected output on stderr"; show "$2"; fi
}
# lines FILE ERE: the lines of FILE matching ERE.
lines() { grep -E -- "$2" "$1"; }
# val FILE KEY: the value of KEY=VALUE in FILE (first match).
val() { sed -n "s/^$2=//p" "$1" | head -1; }

# kt ARGS...: run ktap in the foreground with a timeout; stdout/stderr to $tmp/kt.out/kt.err,
# status in $kt_rc. The -c command's stdout is ktap's stdout (kt.out); scripts write with -o.
kt() {
    e2e_verbose && echo "  + ktap $*"
    # shellcheck disable=SC2086,SC2154  # KTAP_WRAP is a command line: split on purpose; ktap: the driver's
    KTAP_TEST_TAG=$tag timeout -k 5 "${KTAP_TIMEOUT:-$E2E_TIMEOUT}" ${KTAP_WRAP:-} "$ktap" "$@" \
        >"$tmp/kt.out" 2>"$tmp/kt.err" </dev/null
    kt_rc=$?
    if [ "$kt_rc" = 124 ] || [ "$kt_rc" = 137 ]; then fail "ktap timed out: ktap $*"; fi
    check_leftovers
}
# Processes started by ktap (the -c command) carry KTAP_TEST_TAG in their environment; none may
# be alive once ktap has exited. Zombies (empty environ) do not count.
tag=ktap-$E2E_NAME-$$-$RANDOM
leftovers() {
    grep -l -s -z -F "KTAP_TEST_TAG=$tag" /proc/[0-9]*/environ 2>/dev/null | cut -d/ -f3
}
check_leftovers() {
    local left p
    left=$(leftovers | tr '\n' ' ')
    [ -z "$left" ] && return
    # Name each one (command line and process state), not just its PID: it is gone by the
    # time anyone reads the log.
    fail "processes started by ktap still alive after it exited: $(for p in $left; do
        tr '\0' ' ' <"/proc/$p/cmdline" 2>/dev/null | cut -c1-60; echo -n "($(awk '{print $3}' "/proc/$p/stat" 2>/dev/null)); "; done)"
    for p in $left; do kill -KILL "$p" 2>/dev/null; done
}
# kt_bg ARGS...: start ktap in the background (stdout/stderr to $tmp/ktbg.out/.err); $kt_pid.
# KTAP_WRAP as for kt (a command that execs ktap keeps kt_pid ktap's).
kt_bg() {
    e2e_verbose && echo "  + ${KTAP_WRAP:+$KTAP_WRAP }ktap $* &"
    # 3>&-: ktap must not hold the write end of the traced program's stdin fifo.
    # shellcheck disable=SC2086  # KTAP_WRAP is a command line: split on purpose
    KTAP_TEST_TAG=$tag ${KTAP_WRAP:-} "$ktap" "$@" >"$tmp/ktbg.out" 2>"$tmp/ktbg.err" </dev/null 3>&- &
    kt_pid=$!
    bg_pids+=("$kt_pid")
}
# wait_bg PID SECONDS: wait for a background child; its status in $bg_rc (124 on timeout).
wait_bg() {
    local pid=$1 limit=$(($2 * 10)) i=0
    while kill -0 "$pid" 2>/dev/null; do
        # A zombie still answers kill -0; `wait` reaps it below.
        if [ "$(ps -o stat= -p "$pid" 2>/dev/null | cut -c1)" = Z ]; then break; fi
        i=$((i + 1))
        if [ $i -ge $limit ]; then bg_rc=124; return 1; fi
        sleep 0.1
    done
    wait "$pid" 2>/dev/null
    # shellcheck disable=SC2034  # read by the drivers
    bg_rc=$?
    return 0
}
# wait_for FILE ERE SECONDS: poll until FILE has a line matching ERE.
wait_for() {
    local limit=$(($3 * 20)) i=0
    while ! grep -Eq -- "$2" "$1" 2>/dev/null; do
        i=$((i + 1))
        [ $i -ge $limit ] && return 1
        sleep 0.05
    done
    return 0
}

# e2e_run_all LABEL "CASES" VARIANT...: the drivers' `all` mode. For every variant (sets
# $variant; calls the driver's e2e_variant_setup when it defines one) and every case that the
# driver's e2e_skip_case (when defined) does not skip, runs the driver's run_one CASE; a status
# of 77 is a skip. Prints "LABEL tests: N passed, M failed[: case.variant ...]" and exits 0 when
# none failed.
e2e_run_all() {
    local label=$1 cases=$2 pass=0 nfail=0 failed_list="" c rc
    shift 2
    for variant in "$@"; do
        declare -F e2e_variant_setup >/dev/null && e2e_variant_setup
        for c in $cases; do
            declare -F e2e_skip_case >/dev/null && e2e_skip_case "$c" && continue
            run_one "$c"
            rc=$?
            if [ $rc = 0 ]; then
                pass=$((pass + 1))
            elif [ $rc != 77 ]; then
                nfail=$((nfail + 1))
                failed_list+=" $c.$variant"
            fi
            exec 3>&- 2>/dev/null # a case's fifo writer must not outlive it
        done
    done
    echo "$label tests: $pass passed, $nfail failed${failed_list:+:$failed_list}"
    [ $nfail = 0 ]
    exit
}

