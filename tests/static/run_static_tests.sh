#!/usr/bin/env bash
# End-to-end tests of programs without a dynamic loader (issue 11): statically linked C and C++
# programs (glibc static-pie x86_64, glibc static i386, musl x86_64) traced with ktap's
# freestanding agent, which ktap maps into them itself (docs/attach.md, "Programs without a
# dynamic loader"). One invocation runs one case against one variant:
#
#   run_static_tests.sh KTAP BINDIR CASE VARIANT        (VARIANT: 64-O2 32-O2 64-musl)
#   run_static_tests.sh KTAP BINDIR all [VARIANT...]
#
# Cases:
#   threads     -c, threads in rounds (later threads reuse earlier ones' TCBs): entry and return
#               probes count exactly what the program did, -t's engine counters too (ktap's exit
#               hook), the program's output is the same as untraced
#   attach      -x on a running program, two sessions: counts, its code intact after each
#   kill9       kill -9 of ktap during a session: the agent puts the code back by itself, and
#               a later session works (the agent found again, not loaded twice)
#   exceptions  C++ exceptions thrown through a return-probed function, -c (unwind info given
#               to the program's unwinder at ktap's hook on main) and -x: output as untraced
#   borrowed    a program whose code leaves no room for ktap's stubs: they go into a page of
#               ktap's, mapped through a stub that borrows the entry code (_start) for one call;
#               _start is put back byte for byte, later sessions find the page
#   go-c, go-x  a Go program (VARIANT go): entry probes and arguments with -c and -x, return probes
#               and Go's runtime refused with their reasons, kill -9 of ktap
#   go-32       a 32-bit Go program refused with the reason
#
# Exit status 0 pass, 1 fail, 77 skip. Environment: KTAP_STATIC_KEEP=1, KTAP_STATIC_VERBOSE=1,
# KTAP_TIMEOUT.
set -uo pipefail

ktap=$(realpath "$1")
bindir=$(realpath "$2")
case_name=$3
shift 3
variant=${1:-64-O2}

E2E_NAME=static E2E_TIMEOUT=60
# shellcheck source-path=SCRIPTDIR source=../lib/ktap_e2e.sh
. "$(dirname "$0")/../lib/ktap_e2e.sh"
srcdir=$(cd "$(dirname "$0")" && pwd)

prog() { echo "$bindir/$1-$variant"; }

# -t's "entries N" of every probe equals N.
expect_entries() {
    local what=$1 want=$2 file=$3 got
    got=$(grep -oE '^  entries [0-9]+' "$file" | awk '{print $2}' | sort -u | tr '\n' ' ')
    expect_eq "$what: -t entries of every probe" "$want " "$got"
    expect_grep "$what: no thread block missing" "$file" 'no thread 0;'
}

case_threads() {
    local p rounds=60 threads=4 calls=2000 calls_total sum
    p=$(prog waves)
    "$p" $rounds $threads $calls >"$tmp/untraced.out" || { fail "untraced run failed"; return; }
    calls_total=$(val "$tmp/untraced.out" work_calls)
    sum=$(val "$tmp/untraced.out" work_sum)
    # Statistics (read locks only): no handler gives up on a contended lock, counts are exact.
    kt -t -o "$tmp/script.out" -e 'global w, l, s
probe process.function("work") { w <<< 1 }
probe process.function("leaf") { l <<< 1 }
probe process.function("work").return { s <<< $return }
probe end { printf("w=%d l=%d s=%d\n", @count(w), @count(l), @sum(s)) }' -c "$p $rounds $threads $calls"
    expect_eq "ktap's status" 0 "$kt_rc"
    expect_same_file "the program's output, traced and untraced" "$tmp/untraced.out" "$tmp/kt.out"
    expect_eq "script counts" "w=$calls_total l=$calls_total s=$sum" "$(cat "$tmp/script.out")"
    expect_entries "threads" "$calls_total" "$tmp/kt.err"
    expect_no_grep "no warning or error" "$tmp/kt.err" '^(ktap|WARNING|ERROR)'
}

# The running program: hotloop (or EXE, a build of it) with 3 threads, commands through a fifo
# on fd 3.
start_hotloop() {
    rm -f "$tmp/in" "$tmp/hl.out"
    mkfifo "$tmp/in"
    "${1:-$(prog hotloop)}" 3 <"$tmp/in" >"$tmp/hl.out" 2>&1 &
    hl_pid=$!
    bg_pids+=("$hl_pid")
    exec 3>"$tmp/in"
    wait_for "$tmp/hl.out" '^ready pid=' 10 || { fail "hotloop did not start"; return 1; }
}
text_check() {
    local before
    before=$(grep -c '^text ' "$tmp/hl.out")
    kill -USR1 "$hl_pid"
    for _ in $(seq 50); do
        [ "$(grep -c '^text ' "$tmp/hl.out")" -gt "$before" ] && break
        sleep 0.1
    done
    expect_eq "$1: the program's code" "text intact" "$(grep '^text ' "$tmp/hl.out" | tail -1)"
}
finish_hotloop() {
    exec 3>&-
    wait "$hl_pid"
    expect_grep "the program's own checks" "$tmp/hl.out" '^rounds=[0-9]+ ok$'
}
# Statistics, not n++: three threads hitting step millions of times a second would contend
# for a global's write lock, and on a loaded machine a handler may give up ("skipped probes").
hot_script='global n, r
probe process.function("step") { n <<< 1 }
probe process.function("mix").return { r <<< 1 }
probe end { printf("n=%d r=%d\n", @count(n), @count(r)) }'

case_attach() {
    start_hotloop || return
    for session in 1 2; do
        kt -o "$tmp/script.out" -T 1 -e "$hot_script" -x "$hl_pid"
        expect_eq "session $session: ktap's status" 0 "$kt_rc"
        expect_grep "session $session: counts" "$tmp/script.out" '^n=[1-9][0-9]* r=[1-9][0-9]*$'
        expect_clean_stderr "session $session" "$tmp/kt.err"
        text_check "after session $session"
    done
    expect_eq "one agent mapped" 1 "$(grep -c ' r-xp .*/memfd:libktap-agent-' "/proc/$hl_pid/maps")"
    finish_hotloop
}

case_kill9() {
    start_hotloop || return
    kt_bg -o "$tmp/bg.out" -e 'global armed
probe process.function("step") { if (!armed) { armed = 1; printf("armed\n") } }' -x "$hl_pid"
    wait_for "$tmp/bg.out" '^armed' 20 || { fail "the probe never ran"; show "$tmp/ktbg.err"; }
    kill -KILL "$kt_pid"
    wait_bg "$kt_pid" 5
    sleep 1 # the agent's watchdog notices within 100 ms and restores the code
    text_check "after kill -9 of ktap"
    kt -o "$tmp/script.out" -T 1 -e "$hot_script" -x "$hl_pid"
    expect_eq "the next session: ktap's status" 0 "$kt_rc"
    expect_grep "the next session: counts" "$tmp/script.out" '^n=[1-9][0-9]* r=[1-9][0-9]*$'
    text_check "after the next session"
    expect_eq "one agent mapped" 1 "$(grep -c ' r-xp .*/memfd:libktap-agent-' "/proc/$hl_pid/maps")"
    finish_hotloop
}

exc_script='global e, r
probe process.function("mid") { e <<< 1 }
probe process.function("mid").return { r <<< 1 }
probe end { printf("e=%d r=%d\n", @count(e), @count(r)) }'

case_exceptions() {
    [ -x "$(prog thrower)" ] || { note "no C++ for this variant"; return 77; }
    local p
    p=$(prog thrower)
    "$p" 3000 0 | tail -1 >"$tmp/untraced.out"
    kt -t -o "$tmp/script.out" -e "$exc_script" -c "$p 3000 0"
    expect_eq "-c: ktap's status" 0 "$kt_rc"
    tail -1 "$tmp/kt.out" >"$tmp/traced.out"
    expect_same_file "-c: the program's results" "$tmp/untraced.out" "$tmp/traced.out"
    expect_eq "-c: script counts" "e=3000 r=2000" "$(cat "$tmp/script.out")"
    expect_grep "-c: thrown through the return probe" "$tmp/kt.err" 'discarded: unwound 1000,'
    expect_no_grep "-c: no warning" "$tmp/kt.err" '^(ktap|WARNING)'
    # -x: the program runs ~3 s; a session of 1 s in the middle.
    "$p" 3000 1000 >"$tmp/x.out" &
    local pid=$!
    bg_pids+=("$pid")
    wait_for "$tmp/x.out" '^ready pid=' 10 || { fail "thrower did not start"; return; }
    sleep 0.3
    kt -o "$tmp/script.out" -T 1 -e "$exc_script" -x "$pid"
    expect_eq "-x: ktap's status" 0 "$kt_rc"
    expect_grep "-x: counts" "$tmp/script.out" '^e=[1-9][0-9]* r=[1-9][0-9]*$'
    wait "$pid"
    expect_eq "-x: the program's status" 0 "$?"
    tail -1 "$tmp/x.out" >"$tmp/traced.out"
    expect_same_file "-x: the program's results" "$tmp/untraced.out" "$tmp/traced.out"
}

# The bytes at the entry point in the running process equal the file's.
entry_bytes_intact() {
    /usr/bin/python3 - "$1" "$2" <<'EOF'
import struct, sys
pid, exe = int(sys.argv[1]), sys.argv[2]
data = open(exe, 'rb').read()
is64 = data[4] == 2
if is64:
    entry, phoff = struct.unpack_from('<Q', data, 24)[0], struct.unpack_from('<Q', data, 32)[0]
    phentsize, phnum = struct.unpack_from('<HH', data, 54)
else:
    entry, phoff = struct.unpack_from('<I', data, 24)[0], struct.unpack_from('<I', data, 28)[0]
    phentsize, phnum = struct.unpack_from('<HH', data, 42)
auxv = open('/proc/%d/auxv' % pid, 'rb').read()
w = 8 if is64 else 4
fmt = '<QQ' if is64 else '<II'
run_entry = None
for i in range(0, len(auxv), 2 * w):
    k, v = struct.unpack_from(fmt, auxv, i)
    if k == 9:  # AT_ENTRY
        run_entry = v
for i in range(phnum):
    o = phoff + i * phentsize
    if is64:
        ptype, flags, off, vaddr = struct.unpack_from('<IIQQ', data, o)
        filesz = struct.unpack_from('<Q', data, o + 32)[0]
    else:
        ptype, off, vaddr, paddr, filesz = struct.unpack_from('<IIIII', data, o)
    if ptype == 1 and vaddr <= entry < vaddr + filesz:
        want = data[off + entry - vaddr: off + entry - vaddr + 48]
with open('/proc/%d/mem' % pid, 'rb') as m:
    m.seek(run_entry)
    got = m.read(len(want))
sys.exit(0 if got == want else 1)
EOF
}

# The anonymous read-execute pages of process PID holding ktap's return stub (its marker at +48).
stub_pages() {
    local a b n=0
    while IFS=- read -r a b; do
        [ $((16#$b - 16#$a)) = 4096 ] || continue
        [ "$(dd if="/proc/$1/mem" bs=1 skip=$((16#$a + 48)) count=16 2>/dev/null)" = ktap-call-return ] &&
            n=$((n + 1))
    done < <(awk '$2 == "r-xp" && $6 == "" { print $1 }' "/proc/$1/maps")
    echo $n
}

case_borrowed() {
    local cc=gcc flags=(-O2 -g -pthread) room pad exe
    case $variant in
    64-O2) flags+=(-fPIE -static-pie) ;;
    32-O2) flags+=(-m32 -fno-pie -static -no-pie) ;;
    64-musl) cc=musl-gcc flags+=(-static) ;;
    esac
    command -v "$cc" >/dev/null || { note "no $cc"; return 77; }
    exe=$tmp/hotloop-borrowed
    # room: bytes from the 16-aligned end of the executable segment to its page's end.
    slack() {
        local vaddr memsz e
        read -r vaddr memsz < <(readelf -lW "$1" | awk '$1 == "LOAD" && $8 == "E" { print $3, $6 }')
        e=$((vaddr + memsz))
        echo $(( ((e + 4095) / 4096) * 4096 - ((e + 15) / 16) * 16 ))
    }
    # Padding at the end of the executable segment: nops in .fini, which comes last there (the
    # program runs them at exit, between _fini's prologue and its return).
    pad=0
    for _ in 1 2 3; do
        printf '.section .note.GNU-stack,"",@progbits\n.section .fini,"ax",@progbits\n.fill %d,1,0x90\n' \
            "$pad" >"$tmp/pad.s"
        "$cc" "${flags[@]}" -I"$srcdir/../target" -o "$exe" "$srcdir/../target/hotloop.c" \
            "$tmp/pad.s" || { fail "cannot build the program"; return; }
        room=$(slack "$exe")
        [ "$room" -lt 48 ] && break
        pad=$(( (pad + room - 16) % 4096 ))
    done
    [ "$room" -lt 48 ] || { fail "could not leave less than 48 bytes after the code (room $room)"; return; }
    start_hotloop "$exe" || return
    for session in 1 2; do
        kt -o "$tmp/script.out" -T 1 -e "$hot_script" -x "$hl_pid"
        expect_eq "session $session: ktap's status" 0 "$kt_rc"
        expect_grep "session $session: counts" "$tmp/script.out" '^n=[1-9][0-9]* r=[1-9][0-9]*$'
        expect_clean_stderr "session $session" "$tmp/kt.err"
        entry_bytes_intact "$hl_pid" "$exe" || fail "session $session: the entry code was not put back"
        text_check "after session $session"
    done
    expect_eq "one page of ktap's stubs" 1 "$(stub_pages "$hl_pid")"
    finish_hotloop
}

# go-c: a Go program (the toolchain's static binary; goroutines on a few threads) with -c: entry
# probes on a function with Go's stack check and on a frameless leaf, and the leaf's argument;
# the leaf's count and argument sum are exact, work's count at least the calls (an entry probe
# also runs again when the function's stack check grows the stack and restarts it, as a uprobe
# does); a return probe and a runtime function are refused with their reasons; the output is
# the program's own.
case_go-c() {
    local p=$bindir/gowork-go n=200000 g=4 calls w
    "$p" $n $g >"$tmp/untraced.out" || { fail "untraced run failed"; return; }
    calls=$(val "$tmp/untraced.out" work_calls)
    kt -t -o "$tmp/script.out" -e 'global w, l, a, r, m
probe process.function("main.work") { w <<< 1 }
probe process.function("main.leaf") { l <<< 1; a <<< $i }
probe process.function("main.work").return { r <<< 1 }
probe process.function("runtime.mallocgc") { m <<< 1 }
probe end { printf("w=%d l=%d a=%d r=%d m=%d\n", @count(w), @count(l), @sum(a), @count(r), @count(m)) }' -c "$p $n $g"
    expect_eq "ktap's status" 0 "$kt_rc"
    expect_same_file "the program's output, traced and untraced" "$tmp/untraced.out" "$tmp/kt.out"
    expect_grep "leaf: exact count and argument sum" "$tmp/script.out" \
        "^w=[0-9]+ l=$calls a=$((g * n * (n - 1) / 2)) r=0 m=0\$"
    w=$(sed -n 's/^w=\([0-9]*\) .*/\1/p' "$tmp/script.out")
    [ "${w:-0}" -ge "$calls" ] && [ "${w:-0}" -le $((calls + 1000)) ] ||
        fail "work's entries: $w for $calls calls"
    expect_grep "the return probe refused, with the reason" "$tmp/kt.err" \
        "cannot probe function 'main.work' .*return probes are refused in a Go program"
    expect_grep "the runtime function refused, with the reason" "$tmp/kt.err" \
        "cannot probe function 'runtime.mallocgc' .*belongs to Go's runtime"
    expect_grep "no hit without a handler stack" "$tmp/kt.err" 'no thread 0;'
}

# The 16 bytes at function FN in the running process PID equal EXE's (its code restored).
function_intact() {
    local addr vma off
    addr=$(nm "$2" | awk -v f="$3" '$3 == f { print $1 }')
    read -r vma off < <(objdump -h "$2" | awk '$2 == ".text" { print $4, $6 }')
    [ -n "$addr" ] && [ -n "$vma" ] || return 1
    cmp -s <(dd if="/proc/$1/mem" bs=1 skip=$((16#$addr)) count=16 2>/dev/null) \
        <(dd if="$2" bs=1 skip=$((16#$off + 16#$addr - 16#$vma)) count=16 2>/dev/null)
}

# go-x: a running Go program (goroutines in a loop), -x twice, then ktap killed with -9 during a
# session: counts, the probed functions' code as in the file after each, the program's own
# results unchanged.
case_go-x() {
    local exe=$bindir/gowork-go pid fn
    rm -f "$tmp/in" "$tmp/go.out"
    mkfifo "$tmp/in"
    "$exe" serve 3 <"$tmp/in" >"$tmp/go.out" 2>&1 &
    pid=$!
    bg_pids+=("$pid")
    exec 3>"$tmp/in"
    wait_for "$tmp/go.out" '^ready pid=' 10 || { fail "the program did not start"; return; }
    local script='global l, a
probe process.function("main.leaf") { l <<< 1; a <<< $i }
probe end { printf("l=%d\n", @count(l)) }'
    for session in 1 2; do
        kt -o "$tmp/script.out" -T 1 -e "$script" -x "$pid"
        expect_eq "session $session: ktap's status" 0 "$kt_rc"
        expect_grep "session $session: counts" "$tmp/script.out" '^l=[1-9][0-9]*$'
        expect_clean_stderr "session $session" "$tmp/kt.err"
        for fn in main.leaf main.work; do
            function_intact "$pid" "$exe" $fn || fail "session $session: $fn not restored"
        done
    done
    kt_bg -o "$tmp/bg.out" -e 'global armed
probe process.function("main.leaf") { if (!armed) { armed = 1; printf("armed\n") } }' -x "$pid"
    wait_for "$tmp/bg.out" '^armed' 20 || { fail "the probe never ran"; show "$tmp/ktbg.err"; }
    kill -KILL "$kt_pid"
    wait_bg "$kt_pid" 5
    sleep 1
    function_intact "$pid" "$exe" main.leaf || fail "after kill -9 of ktap: main.leaf not restored"
    kill -0 "$pid" 2>/dev/null || fail "the program died after ktap was killed"
    exec 3>&-
    wait "$pid"
    expect_eq "the program's status" 0 "$?"
    expect_grep "the program's own check" "$tmp/go.out" '^calls>0=true ok$'
}

# go-32: a 32-bit Go program is refused before anything changes, with the reason (the handler
# stack switch exists for x86_64 only).
case_go-32() {
    local exe=$tmp/gowork-386
    GOARCH=386 GOCACHE=$tmp/gocache GO111MODULE=off go build -o "$exe" "$srcdir/gowork.go" \
        2>"$tmp/gobuild.err" || { note "cannot build a 386 Go program: $(head -1 "$tmp/gobuild.err")"; return 77; }
    kt -e 'probe process.function("main.leaf") { }' -c "$exe 1000 2"
    expect_ne "ktap's status" 0 "$kt_rc"
    expect_grep "the reason" "$tmp/kt.err" "it is a 32-bit Go program.*nothing was changed"
}

run_one() {
    local t0
    t0=$(date +%s.%N)
    failures=0
    "case_$1"
    local rc=$?
    exec 3>&- 2>/dev/null
    if [ $rc = 77 ]; then
        echo "SKIP: static.$1.$variant"
        return 77
    fi
    if [ "$failures" = 0 ]; then
        echo "PASS: static.$1.$variant ($(elapsed "$t0")s)"
        return 0
    fi
    echo "FAIL: static.$1.$variant ($failures checks failed, $(elapsed "$t0")s)"
    return 1
}

if [ "$case_name" = all ]; then
    [ $# -gt 0 ] || set -- 64-O2 32-O2 64-musl
    e2e_run_all static "threads attach kill9 exceptions borrowed" "$@"
else
    run_one "$case_name"
fi
