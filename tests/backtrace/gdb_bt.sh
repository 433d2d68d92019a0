#!/usr/bin/env bash
# gdb_bt.sh PROG SCENARIO [ARGS...]: the reference stacks of the backtrace tests. Runs
# `PROG SCENARIO ARGS...` under gdb with a breakpoint at the first instruction of bt_leaf and
# prints one line per hit (at most BT_GDB_HITS, default 3), the hitting thread's function names
# from bt_leaf to main (or to the thread start), separated by ';'. See gdb_bt.py.
# Exit status: 0 when at least one hit was recorded and nothing went wrong, 1 otherwise
# (gdb's own output is then shown on stderr). BT_GDB_VERBOSE=1: every frame on stderr.
set -uo pipefail
if [ $# -lt 2 ]; then
    echo "usage: $0 PROG SCENARIO [ARGS...]" >&2
    exit 2
fi
here=$(dirname "$(realpath "$0")")
command -v gdb >/dev/null || { echo "gdb_bt: gdb not found" >&2; exit 1; }
work=$(mktemp -d /tmp/ktap-gdb-bt.XXXXXX)
trap 'rm -rf "$work"' EXIT

BT_GDB_OUT=$work/stacks timeout -k 5 "${BT_GDB_TIMEOUT:-60}" \
    gdb -batch -nx -q -x "$here/gdb_bt.py" --args "$@" >"$work/gdb.log" 2>&1
rc=$?
if [ "${BT_GDB_VERBOSE:-0}" = 1 ]; then cat "$work/gdb.log" >&2; fi
if [ $rc != 0 ] || [ ! -s "$work/stacks" ]; then
    echo "gdb_bt: gdb failed (status $rc) on: $*" >&2
    sed 's/^/  gdb| /' "$work/gdb.log" | tail -40 >&2
    exit 1
fi
cat "$work/stacks"
