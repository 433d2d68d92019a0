#!/usr/bin/env bash
# End-to-end tests of tracing services as they really run (issue 11): a process of another
# user, one that dropped its privileges (and so is non-dumpable), one in its own mount and PID
# namespaces whose filesystem does not contain ktap, hardened ones (no-new-privs, umask 077,
# MDWE, systemd's MemoryDenyWriteExecute filter, a strict seccomp filter). One invocation runs one case against one build of service.c:
#
#   run_service_tests.sh KTAP BINDIR CASE VARIANT       (VARIANT: 64-O2 32-O2 ...)
#   run_service_tests.sh KTAP BINDIR all [VARIANT...]
#
# Every traced run checks: the counts of handle() and the sum of its return values that the
# script saw equal what the service itself reports; the service answers the same afterwards
# (same output for the same request) with its original code ("text intact"); ktap's stderr is
# empty. Needs root (other users, namespaces); exit status 0 pass, 1 fail, 77 skip.
#
# Environment: KTAP_SERVICES_KEEP=1 (keep the temporary folder), KTAP_SERVICES_VERBOSE=1,
# KTAP_TIMEOUT (seconds before one ktap session counts as hung, default 30).
set -uo pipefail

ktap=$(realpath "$1")
bindir=$(realpath "$2")
case_name=$3
shift 3
variant=${1:-64-O2}
service_uid=4242   # an unused uid: no account is needed to run as it

E2E_NAME=services E2E_TIMEOUT=30
# shellcheck source-path=SCRIPTDIR source=../lib/ktap_e2e.sh
. "$(dirname "$0")/../lib/ktap_e2e.sh"

# The service binary is copied out of the build folder, which some cases hide from it; the
# temporary folder is readable by the service user.
chmod 755 "$tmp"
svc=$tmp/service
N=3000       # calls per worker per request
T=3          # workers

# $i is a DWARF parameter: the service's own file must be read, as the service sees it.
script='global armed, n, s, a
probe process.function("idle") { if (!armed) { armed = 1; printf("armed\n") } }
probe process.function("handle").return { n++; s += $return; a += @entry($i) }
probe end { printf("n=%d s=%d a=%d\n", n, s, a) }'

# ---- the service in the background, commands through a fifo on fd 3 ------------------------
# start_service LAUNCHER... : runs "LAUNCHER... $svc ARGS" with the fifo as stdin; sets
# svc_pid (the service's PID as ktap sees it), svc_out. Options for the service follow "--".
start_service() {
    local launcher=() args=()
    while [ $# -gt 0 ] && [ "$1" != -- ]; do launcher+=("$1"); shift; done
    [ "${1:-}" = -- ] && shift
    args=("$@")
    svc_out=$tmp/service.out
    rm -f "$tmp/in" "$svc_out"
    mkfifo -m 644 "$tmp/in"
    "${launcher[@]}" "$svc" --threads "$T" "${args[@]}" <"$tmp/in" >"$svc_out" 2>&1 &
    launcher_pid=$!
    bg_pids+=("$launcher_pid")
    exec 3>"$tmp/in"
    if ! wait_for "$svc_out" '^ready pid=' 10; then fail "service did not start"; show "$svc_out"; return 1; fi
    svc_pid=$(host_pid_of_service "$launcher_pid" "${svc_exe:-$svc}")
    [ -n "$svc_pid" ] || { fail "cannot find the service's PID"; return 1; }
    bg_pids+=("$svc_pid")
}
# The service's PID in ktap's namespace: the launcher itself, or (unshare --fork) its child;
# EXE is its executable's path as the service sees it. Matched by the command name: the exe
# link of a process in another mount namespace need not read as that path here (in a chroot
# it reads as the path from the machine's root).
host_pid_of_service() {
    local p=$1 comm c pid ppid
    comm=$(basename "$2" | cut -c1-15)
    [ "$(cat "/proc/$p/comm" 2>/dev/null)" = "$comm" ] && { echo "$p"; return; }
    for c in /proc/[0-9]*/stat; do
        read -r pid _ _ ppid _ <"$c" 2>/dev/null || continue
        [ "$ppid" = "$p" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = "$comm" ] && { echo "$pid"; return; }
    done
}

# ask LINE EXPECT: send a command and wait for the answer matching EXPECT; prints that line.
ask() {
    local before
    before=$(grep -cE -- "$2" "$svc_out")
    echo "$1" >&3
    local i=0
    while [ "$(grep -cE -- "$2" "$svc_out")" -le "$before" ]; do
        i=$((i + 1))
        [ $i -ge 400 ] && { echo "(no answer to '$1')"; return 1; }
        sleep 0.05
    done
    grep -E -- "$2" "$svc_out" | tail -1
}
finish_service() {
    echo quit >&3
    exec 3>&-
    wait_bg "$launcher_pid" 10 || fail "service did not exit after quit"
    expect_grep "service ended normally" "$svc_out" '^bye$'
}

# The request the traced run answers, and the same request untraced afterwards.
expected_line() {
    awk -v n="$N" -v t="$T" 'BEGIN { s = 0; for (i = 0; i < n; i++) s += (i * 7) % 13; printf "calls=%d sum=%d\n", t * n, t * s }'
}

# trace_x WHAT: ktap -x on the running service; one request while armed; SIGINT; checks.
trace_x() {
    local what=$1 traced
    rm -f "$tmp/script.out"  # "armed" of an earlier session must not count
    kt_bg -o "$tmp/script.out" -e "$script" -x "$svc_pid"
    if ! wait_for "$tmp/script.out" '^armed$' 20; then
        fail "$what: the probe never fired"; show "$tmp/ktbg.err"; kill -KILL "$kt_pid"; return 1
    fi
    traced=$(ask "run $N" '^calls=')
    kill -INT "$kt_pid"
    wait_bg "$kt_pid" 15 || fail "$what: ktap did not exit after SIGINT"
    expect_eq "$what: ktap exit status" 0 "$bg_rc"
    expect_clean_stderr "$what: ktap stderr" "$tmp/ktbg.err"
    expect_eq "$what: the service's answer while traced" "$(expected_line)" "$traced"
    check_counts "$what" "$traced"
    expect_eq "$what: text after detach" "text intact" "$(ask check '^text')"
    expect_eq "$what: the same request untraced" "$traced" "$(ask "run $N" '^calls=')"
}
# check_counts WHAT "calls=C sum=S": the script's n and s equal the service's own numbers, and
# a, the sum of the argument i (0..N-1 in each of T workers), is T * N(N-1)/2.
check_counts() {
    local want_n want_s want_a
    want_n=$(sed -n 's/^calls=\([0-9]*\) .*/\1/p' <<<"$2")
    want_s=$(sed -n 's/.* sum=\([0-9]*\)$/\1/p' <<<"$2")
    want_a=$((T * N * (N - 1) / 2))
    expect_eq "$1: handle() calls, returns and arguments seen by the script" \
        "n=$want_n s=$want_s a=$want_a" "$(grep -E '^n=' "$tmp/script.out" | tail -1)"
}

# ---- cases ------------------------------------------------------------------------------------

# other-user: root traces a process started as another user (the su/setpriv case).
case_other-user() {
    start_service setpriv --reuid=$service_uid --regid=$service_uid --clear-groups -- || return
    expect_grep "service runs as uid $service_uid" "$svc_out" "uid=$service_uid dumpable=1"
    trace_x "other user"
    finish_service
}

# dropped: a daemon that started as root and dropped to its service user (non-dumpable then),
# with umask 077 and no-new-privs, traced with -x; then a second session on the same process
# (the agent loaded by the first is reused) and a kill -9 of ktap mid-trace.
case_dropped() {
    start_service -- --user $service_uid --umask --no-new-privs || return
    expect_grep "service dropped to uid $service_uid, non-dumpable" "$svc_out" "uid=$service_uid dumpable=0"
    trace_x "dropped privileges"
    trace_x "second session"
    kill9_mid_trace "kill -9"
    finish_service
}

# kill9_mid_trace WHAT: ktap armed on the service is killed with SIGKILL; the agent restores
# the code by itself, the service keeps answering the same.
kill9_mid_trace() {
    rm -f "$tmp/script.out"
    kt_bg -o "$tmp/script.out" -e "$script" -x "$svc_pid"
    wait_for "$tmp/script.out" '^armed$' 20 || { fail "$1: the probe never fired"; show "$tmp/ktbg.err"; }
    kill -KILL "$kt_pid" 2>/dev/null
    wait_bg "$kt_pid" 5
    sleep 1.2
    kill -0 "$svc_pid" 2>/dev/null || { fail "$1: the service died after ktap was killed"; show "$svc_out"; return; }
    expect_eq "$1: text 1.2 s after SIGKILL of ktap" "text intact" "$(ask check '^text')"
    expect_eq "$1: the service's answer afterwards" "$(expected_line)" "$(ask "run $N" '^calls=')"
}

# container: own mount and PID namespaces (the service is PID 1 there, /proc its own), the
# folder holding ktap and its agent covered by a tmpfs that holds the service's executable (a
# file that does not exist at that path for ktap: its symbols and DWARF must be read through
# the service's root), a different user; traced from the host by its host PID; then ktap
# killed with -9 mid-trace.
case_container() {
    local hide
    hide=$(dirname "$ktap")
    svc_exe=$hide/service-inside
    start_service unshare --mount --pid --fork --mount-proc sh -c \
        "mount -t tmpfs none '$hide' && cp \"\$0\" '$svc_exe' && exec setpriv --reuid=$service_uid --regid=$service_uid --clear-groups '$svc_exe' \"\$@\"" -- || return
    unset svc_exe
    [ ! -e "$hide/service-inside" ] || { fail "the service's executable is visible to ktap"; return; }
    expect_grep "the service is PID 1 in its namespace" "$svc_out" '^ready pid=1 '
    expect_eq "ktap's folder as the service sees it" "service-inside" \
        "$(nsenter -t "$svc_pid" -m ls -A "$hide" 2>&1 | tr '\n' ' ' | sed 's/ $//')"
    trace_x "container"
    # pid() is the PID ktap (and stap, bpftrace) knows the process by, as target() is.
    kt -e 'global once
probe process.function("idle") { if (!once++) printf("%d %d\n", pid(), target()); exit() }' -x "$svc_pid"
    expect_eq "container: pid() and target()" "$svc_pid $svc_pid" "$(cat "$tmp/kt.out")"
    kill9_mid_trace "container, kill -9"
    finish_service
}

# noproc: a container without procfs (its /proc covered by an empty tmpfs) and without ktap's
# folder: the target's dlopen cannot reach the agent's memfd through /proc/self/fd, so ktap
# loads its freestanding agent itself (also into a dynamically linked service); two sessions
# and a kill -9 of ktap.
case_noproc() {
    local hide
    hide=$(dirname "$ktap")
    svc_exe=$hide/service-inside
    start_service unshare --mount --pid --fork sh -c \
        "mount -t tmpfs none /proc && mount -t tmpfs none '$hide' && cp \"\$0\" '$svc_exe' && exec setpriv --reuid=$service_uid --regid=$service_uid --clear-groups '$svc_exe' \"\$@\"" -- || return
    unset svc_exe
    [ -z "$(nsenter -t "$svc_pid" -m ls -A /proc 2>&1)" ] || { fail "the service sees a /proc"; return; }
    trace_x "no /proc"
    trace_x "no /proc, second session"
    expect_eq "one agent loaded" 1 \
        "$(grep -c ' r-xp .*/memfd:libktap-agent-[0-9a-f]*\.so' "/proc/$svc_pid/maps")"
    kill9_mid_trace "no /proc, kill -9"
    finish_service
}

# no-open: a service whose seccomp filter fails every open (EPERM): the target's dlopen could not
# open the agent, so ktap loads its freestanding agent itself; two sessions and a kill -9.
case_no-open() {
    start_service -- --user $service_uid --no-open || return
    trace_x "no open"
    trace_x "no open, second session"
    kill9_mid_trace "no open, kill -9"
    finish_service
}

# userns: as container, in its own user namespace too (root there, an unprivileged mapping
# outside it would be the same) and its own network namespace; traced from the host.
case_userns() {
    local hide
    # A chrooted process may not create user namespaces (the kernel's rule; check-pristine
    # runs the suite in a chroot).
    if ! unshare --user --map-root-user true 2>/dev/null; then
        echo "SKIP: this process cannot create a user namespace (chrooted?)"
        return 77
    fi
    hide=$(dirname "$ktap")
    start_service unshare --user --map-root-user --net --mount --pid --fork --mount-proc sh -c \
        "mount -t tmpfs none '$hide' && exec \"\$0\" \"\$@\"" -- || return
    expect_grep "the service is PID 1 in its namespace" "$svc_out" '^ready pid=1 '
    expect_ne "the service's user namespace" "$(readlink /proc/self/ns/user)" "$(readlink "/proc/$svc_pid/ns/user")"
    expect_ne "the service's network namespace" "$(readlink /proc/self/ns/net)" "$(readlink "/proc/$svc_pid/ns/net")"
    trace_x "user namespace"
    kill9_mid_trace "user namespace, kill -9"
    finish_service
}

# chrooted: ktap runs in a chroot (a bind mount of the machine's root, in a private mount
# namespace) and traces a service that runs in its own mount namespace from an executable on a
# tmpfs only it sees. /proc/PID/maps then shows paths from that namespace's root, which do not
# exist under the service's root: ktap reads the mapped files through /proc/PID/map_files.
case_chrooted() {
    local inner=$tmp/chrooted.sh
    cat >"$inner" <<EOF
set -u
cd "$tmp"
mkfifo cin
unshare --mount --propagation private sh -c 'mount -t tmpfs none /mnt && cp "$svc" /mnt/svc-chrooted && exec /mnt/svc-chrooted --threads $T' <cin >cservice.out 2>&1 &
# unshare and sh exec: the service keeps this PID (a search by name could find the other
# variant's service, run in parallel)
pid=\$!
exec 4>cin
for i in \$(seq 100); do grep -q '^ready' cservice.out && break; sleep 0.05; done
grep -m1 svc-chrooted /proc/\$pid/maps | awk '{ print "mapped as " \$6 }'
"$ktap" -x "\$pid" -e 'global once
probe process.function("idle") { if (!once++) printf("hit %d\\n", pid() == target()); exit() }'
echo "ktap status \$?"
echo quit >&4
wait
EOF
    unshare --mount --fork sh -c "mount --make-rprivate / && mkdir -p '$tmp/root' && mount --rbind / '$tmp/root' && chroot '$tmp/root' /bin/bash '$inner'" >"$tmp/chrooted.out" 2>&1
    expect_grep "chrooted: the service's file is mapped under a path ktap cannot open" "$tmp/chrooted.out" '^mapped as /.+/mnt/svc-chrooted$'
    expect_grep "chrooted: the probe fired" "$tmp/chrooted.out" '^hit 1$'
    expect_grep "chrooted: ktap exit status" "$tmp/chrooted.out" '^ktap status 0$'
    expect_grep "chrooted: the service ended normally" "$tmp/cservice.out" '^bye$'
}

# inside: ktap runs inside the service's own mount and PID namespaces (as in the same
# container), where the service is PID 1; -T ends the session.
case_inside() {
    start_service unshare --mount --pid --fork --mount-proc setpriv --reuid=$service_uid \
        --regid=$service_uid --clear-groups -- || return
    expect_grep "the service is PID 1 in its namespace" "$svc_out" '^ready pid=1 '
    rm -f "$tmp/script.out"
    KTAP_WRAP="nsenter --target $svc_pid --mount --pid" kt_bg -o "$tmp/script.out" -e "$script" -x 1 -T 4
    if ! wait_for "$tmp/script.out" '^armed$' 20; then
        fail "inside: the probe never fired"; show "$tmp/ktbg.err"; return
    fi
    local traced
    traced=$(ask "run $N" '^calls=')
    wait_bg "$kt_pid" 15 || fail "inside: ktap did not end after -T"
    expect_eq "inside: ktap exit status" 0 "$bg_rc"
    expect_clean_stderr "inside: ktap stderr" "$tmp/ktbg.err"
    expect_eq "inside: the service's answer while traced" "$(expected_line)" "$traced"
    check_counts "inside" "$traced"
    expect_eq "inside: text after detach" "text intact" "$(ask check '^text')"
    finish_service
}

# nonroot: ktap run by an ordinary user traces that user's own service (-x, and -c), and is
# refused a root service with ptrace's reason; the root service is unharmed.
case_nonroot() {
    local as_user="setpriv --reuid=$service_uid --regid=$service_uid --clear-groups"
    chmod 1777 "$tmp" # ktap, as the user, writes its -o files here
    start_service $as_user -- || return
    local scope
    scope=$(cat /proc/sys/kernel/yama/ptrace_scope 2>/dev/null || echo 0)
    if [ "$scope" = 0 ]; then
        KTAP_WRAP=$as_user trace_x "non-root -x, own service"
    else
        note "yama ptrace_scope=$scope: -x of a non-child by a non-root user is not allowed; -c only"
    fi
    finish_service
    printf 'run %s\nquit\n' "$N" >"$tmp/requests"
    chmod 644 "$tmp/requests"
    rm -f "$tmp/script.out"
    KTAP_WRAP=$as_user kt -o "$tmp/script.out" -e "$script" -c "$svc --threads $T <$tmp/requests"
    expect_eq "non-root -c: ktap exit status" 0 "$kt_rc"
    expect_grep "non-root -c: the service answered" "$tmp/kt.out" "^$(expected_line)\$"
    check_counts "non-root -c" "$(expected_line)"
    start_service -- || return
    KTAP_WRAP=$as_user kt -o "$tmp/script.out" -e "$script" -x "$svc_pid"
    expect_eq "non-root on a root service: ktap exit status" 1 "$kt_rc"
    expect_grep "non-root on a root service: ktap says why" "$tmp/kt.err" \
        "cannot attach to process $svc_pid: Operation not permitted"
    expect_eq "non-root on a root service: text" "text intact" "$(ask check '^text')"
    expect_eq "non-root on a root service: answer" "$(expected_line)" "$(ask "run $N" '^calls=')"
    finish_service
}

# rebuilt: a service still holds the agent of another ktap build (a copy of ktap whose agents
# differ in their build-id, as after a rebuild or an upgrade): this ktap loads its own agent
# beside it and traces as usual, and each build finds its own agent again in a later session.
case_rebuilt() {
    local copy=$tmp/other-ktap id real_ktap=$ktap
    mkdir -p "$copy"
    cp -a "$ktap" "$(dirname "$ktap")/lib" "$(dirname "$ktap")/lib32" "$copy/"
    for lib in "$copy"/lib/libktap-agent.so "$copy"/lib32/libktap-agent.so \
               "$copy"/lib/libktap-agent-nolibc.so "$copy"/lib32/libktap-agent-nolibc.so; do
        id=$(readelf -n "$lib" | awk '/Build ID:/ { print $3 }')
        [ ${#id} -ge 8 ] || { fail "no build-id in $lib"; return; }
        # flip the build-id's last byte: the same code, another build
        ID=$id NEW=${id%??}$([ "${id: -2}" = ff ] && echo 00 || echo ff) perl -0777 -pi -e \
            '$o = pack("H*", $ENV{ID}); $n = pack("H*", $ENV{NEW}); s/\Q$o\E/$n/' "$lib"
        [ "$(readelf -n "$lib" | awk '/Build ID:/ { print $3 }')" != "$id" ] || { fail "build-id unchanged"; return; }
    done
    start_service -- --user $service_uid || return
    ktap=$copy/ktap
    trace_x "the other build"
    ktap=$real_ktap
    trace_x "this build, the other's agent loaded"
    ktap=$copy/ktap
    trace_x "the other build again"
    ktap=$real_ktap
    trace_x "this build again"
    expect_eq "agents loaded: one per build" 2 \
        "$(grep -c ' r-xp .*/memfd:libktap-agent-[0-9a-f]*\.so' "/proc/$svc_pid/maps")"
    finish_service
}

# cmd-user: -c with a service that drops to its user after start (ktap injected before the
# drop); the service's own answers and the script's counts agree; it exits normally.
case_cmd-user() {
    run_cmd "-c" --user $service_uid
}

# run_cmd WHAT SERVICE-OPTIONS...: ktap -c of the service (stdin a fifo), one request, quit.
run_cmd() {
    local what=$1
    shift
    rm -f "$tmp/in" "$tmp/service.out" "$tmp/script.out"
    svc_out=$tmp/service.out
    mkfifo -m 644 "$tmp/in"
    kt_bg -o "$tmp/script.out" -e "$script" -c "$svc --threads $T $* <$tmp/in >$svc_out"
    exec 3>"$tmp/in"
    wait_for "$tmp/script.out" '^armed$' 20 || { fail "$what: the probe never fired"; show "$tmp/ktbg.err"; return; }
    local traced
    traced=$(ask "run $N" '^calls=')
    expect_eq "$what: the service's answer while traced" "$(expected_line)" "$traced"
    echo quit >&3
    exec 3>&-
    wait_bg "$kt_pid" 15 || fail "$what: ktap did not exit with the service"
    expect_eq "$what: ktap exit status" 0 "$bg_rc"
    expect_clean_stderr "$what: ktap stderr" "$tmp/ktbg.err"
    expect_grep "$what: the service dropped its privileges" "$svc_out" "uid=$service_uid dumpable=0"
    expect_grep "$what: the service ended normally" "$svc_out" '^bye$'
    check_counts "$what" "$traced"
}

# mdwe: prctl(PR_SET_MDWE): no memory may become writable and executable, or executable again.
# ktap's engine notices and writes its patches, trampolines and return stubs through
# /proc/self/mem into read-execute mappings; then ktap is killed with -9 and the agent restores
# the code the same way, with the threads running.
case_mdwe() {
    start_service -- --user $service_uid --mdwe || return
    trace_x "MDWE"
    kill9_mid_trace "MDWE, kill -9"
    finish_service
}

# wx-filter: systemd's MemoryDenyWriteExecute=yes as a seccomp filter (mprotect with PROT_EXEC
# fails with EPERM): ktap's filter check accepts it (the engine does without such mprotects).
case_wx-filter() {
    start_service -- --user $service_uid --wx-filter || return
    trace_x "MemoryDenyWriteExecute filter"
    finish_service
}

# cmd-mdwe: -c of a service that sets MDWE in main, after ktap armed its probes at the entry
# point: the worker threads' return stubs and the disarm at exit switch to /proc/self/mem.
case_cmd-mdwe() {
    run_cmd "-c with MDWE set after attach" --user $service_uid --mdwe
}

# expect_refusal WHAT ERE: ktap -x exits 1 with a message matching ERE, having changed
# nothing: the service has no ktap mapping, its text is intact and it answers the same.
expect_refusal() {
    rm -f "$tmp/script.out"
    kt -o "$tmp/script.out" -e "$script" -x "$svc_pid"
    expect_eq "$1: ktap exit status" 1 "$kt_rc"
    expect_grep "$1: ktap says why" "$tmp/kt.err" "$2"
    expect_grep "$1: ktap says nothing was changed" "$tmp/kt.err" 'nothing was changed in the process'
    kill -0 "$svc_pid" 2>/dev/null || { fail "$1: the service died"; show "$svc_out"; return; }
    expect_eq "$1: ktap mappings left in the service" 0 "$(grep -cE "libktap|memfd:ktap" "/proc/$svc_pid/maps")"
    expect_eq "$1: text after the refusal" "text intact" "$(ask check '^text')"
    expect_eq "$1: the service's answer afterwards" "$(expected_line)" "$(ask "run $N" '^calls=')"
}

# seccomp: a filter that kills the process on any system call a service of its kind does not
# make (memfd_create among them): ktap runs the filter on each of its own system calls first,
# refuses with the call and the filter's answer, and the service keeps running unharmed.
case_seccomp() {
    start_service -- --user $service_uid --seccomp || return
    expect_refusal "seccomp" 'its seccomp filter would kill the process on memfd_create'
    finish_service
}

all_cases="other-user dropped container noproc no-open userns chrooted inside nonroot rebuilt cmd-user mdwe wx-filter cmd-mdwe seccomp"

run_one() {
    failures=0
    [ -x "$bindir/service-$variant" ] || { echo "SKIP: $bindir/service-$variant not built"; return 77; }
    [ "$(id -u)" = 0 ] || { echo "SKIP: needs root"; return 77; }
    install -m 755 "$bindir/service-$variant" "$svc"
    local t0 secs
    t0=$(date +%s.%N)
    "case_$1"
    [ $? = 77 ] && return 77
    secs=$(elapsed "$t0")
    if [ $failures = 0 ]; then echo "PASS: services.$1.$variant (${secs}s)"; return 0; fi
    echo "FAIL: services.$1.$variant ($failures checks failed, ${secs}s)"
    return 1
}

if [ "$case_name" = all ]; then
    [ $# = 0 ] && set -- 64-O2 32-O2
    e2e_run_all service "$all_cases" "$@"
fi
run_one "$case_name"
