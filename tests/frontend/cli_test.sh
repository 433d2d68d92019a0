#!/usr/bin/env bash
# End-to-end checks of the ktap command line: exit codes, where output goes, option handling.
# Usage: cli_test.sh path/to/ktap tests/frontend
set -uo pipefail
ktap=$1
here=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0

check() {  # check NAME CONDITION...
    local name=$1
    shift
    if "$@"; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL: $name"
        echo "  stdout: $(head -c 600 "$tmp/out")"
        echo "  stderr: $(head -c 600 "$tmp/err")"
    fi
}
run() { "$ktap" "$@" >"$tmp/out" 2>"$tmp/err"; echo $? >"$tmp/rc"; }
rc() { [ "$(cat "$tmp/rc")" = "$1" ]; }
out_has() { grep -qF -- "$1" "$tmp/out"; }
err_has() { grep -qF -- "$1" "$tmp/err"; }
out_empty() { [ ! -s "$tmp/out" ]; }

cat >"$tmp/ok.stp" <<'STP'
global hits
probe begin { hits++; printf("%d %s\n", hits, @1) }
STP
printf 'probe begin {\n  x = 1 +\n}\n' >"$tmp/bad.stp"

run --help
check "--help exits 0" rc 0
check "--help names -p" out_has "-p"
run --version
check "--version" out_has "ktap "
run -p1 "$tmp/ok.stp" word
check "-p1 ok" rc 0
check "-p1 prints the parse tree" out_has "# parse tree dump"
check "-p1 pastes @1" out_has '"word"'
run -p2 "$tmp/ok.stp" word
check "-p2 ok" rc 0
check "-p2 prints globals with types" out_has "hits:long"
check "-p2 prints resolved probes" out_has "begin /* <- begin */"
run -p2 -e 'probe begin { println("x") }'
check "-e script" rc 0
run -p2 "$tmp/bad.stp"
check "syntax error exits 1" rc 1
check "syntax error names file:line:col" err_has "bad.stp:3:1: error: syntax error"
check "syntax error shows a caret" err_has "^"
check "syntax error prints nothing on stdout" out_empty
run -p1 "$tmp/missing.stp"
check "missing file exits 1" rc 1
check "missing file is named" err_has "cannot open"
run -p2 "$tmp/ok.stp"
check "missing script argument is an error" rc 1
check "missing script argument message" err_has "out of range"
run -p2 -v "$tmp/ok.stp" a
check "-v pass timings" err_has "Pass 1: parsed user script and"
check "-v pass 2 summary" err_has "Pass 2: analyzed script: 1 probes"
run -p2 -o "$tmp/o.txt" "$tmp/ok.stp" a
check "-o writes the file" grep -q "hits:long" "$tmp/o.txt"
check "-o leaves stdout empty" out_empty
printf 'probe begin { print(1) }' | "$ktap" -p1 - >"$tmp/out" 2>"$tmp/err"; echo $? >"$tmp/rc"
check "script from stdin" out_has "print(1)"
run -p2 -G hits=5 "$tmp/ok.stp" a
check "-G sets a global" out_has "hits:long = 5"
run -p2 -G nosuch=5 "$tmp/ok.stp" a
check "-G unknown global is an error" err_has "no global named 'nosuch'"
run -p2 -D MAXMAPENTRIES=10 "$tmp/ok.stp" a
check "-D accepted" rc 0
run -p2 -D '1x' "$tmp/ok.stp" a
check "-D malformed" err_has "expected NAME or NAME=VALUE"
run -p2 -e 'global unused; probe begin { }'
check "unused global warns" err_has "warning: eliding unused variable 'unused'"
run -p2 -w -e 'global unused; probe begin { }'
check "-w silences warnings" test ! -s "$tmp/err"
run -p2 -W -e 'global unused; probe begin { }'
check "-W makes warnings errors" rc 1
run -p2 -u -e 'global unused; function f() { } probe begin { }'
check "-u keeps unused functions" out_has "# functions"
run -x 0 -e 'probe begin { }'
check "-x needs a process ID" err_has "expected a process ID"
run -x 1 -c true -e 'probe begin { }'
check "-x and -c exclude each other" err_has "cannot be used together"
run -c true -e 'probe begin { println("begin ran") }'
check "-c: begin runs, the session ends with the command" out_has "begin ran"
check "-c true exits 0" rc 0
run -c false -e 'probe begin { }'
check "-c: a failing command is reported" err_has "Child process exited with status 1"
check "-c false exits 1" rc 1
run -l begin
check "-l lists a probe point" out_has "begin"
run -l 'process("/bin/true").function("main*")' -c true
check "-l of a pattern matching nothing lists nothing" rc 0
run -t -c true -e 'probe process.library("libc.so.6").function("exit") { }'
check "-t prints the hit report" err_has "library(\"libc.so.6\").function(\"exit\") (<input>:1:7), hits: 1,"
run -e 'probe begin { println("hi"); exit() }'
check "a begin probe runs" out_has "hi"
check "exit() ends the session with status 0" rc 0
run -T 1 -e 'probe begin { println("waiting") }'
check "-T ends a session" rc 0
check "-T: begin ran" out_has "waiting"
# Ctrl-C ends a session normally: end probes run, exit status 0.
"$ktap" -e 'probe begin { println("started") } probe end { println("end ran") }' >"$tmp/out" 2>"$tmp/err" &
ktap_pid=$!
for _ in $(seq 100); do grep -q started "$tmp/out" 2>/dev/null && break; sleep 0.05; done
kill -INT $ktap_pid
wait $ktap_pid
echo $? >"$tmp/rc"
check "Ctrl-C exits 0" rc 0
check "Ctrl-C runs end probes" out_has "end ran"
run -T 0 -e 'probe begin { }'
check "-T needs a positive number" err_has "positive number of seconds"
run -e 'probe process.function("main") { }'
check "function probes need a process" err_has "give one with -x PID or -c CMD"
run -c true -e 'probe process.function("no_such_function_anywhere") { }'
check "a probe point matching nothing is an error" err_has "matches no function"
check "... and exits 1" rc 1
run -c true -e 'probe process.function("no_such_function_anywhere")? { } probe begin { }'
check "an optional probe point matching nothing is fine" rc 0
run -p3 -e 'probe begin { exit() }'
check "-p3 prints LLVM IR" out_has "define void @ktap_probe_0"
run -p4 -e 'probe begin { exit() }'
check "-p4 reports the object size" out_has "object code for x86_64"
run -p2 -I "$here/tapsets-extra" -e 'probe begin { printf("%d\n", extra_answer()) }'
check "-I adds a tapset directory" rc 0
run -p2 -I "$tmp/nodir" -e 'probe begin { }'
check "-I missing dir" err_has "not a directory"

echo "cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
