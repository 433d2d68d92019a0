#!/usr/bin/env bash
# Backtraces compared with gdb. One invocation runs one scenario against one build variant:
#
#   run_bt_tests.sh KTAP BINDIR SCENARIO VARIANT
#   run_bt_tests.sh KTAP BINDIR all [VARIANT...]     (every scenario, summary at the end)
#
# BINDIR holds bt_main-VARIANT, bt_cxx-VARIANT and libbtlib-VARIANT.so (the build folder's
# tests/backtrace; the build folder itself is accepted too). SCENARIO is one of bt_main's
# (chain lib qsort signal recurse threads), one of bt_cxx's (catch thread function), or
# "return" (bt_main's chain with every chain_* function return-probed). VARIANT is
# {64,32}-{O0,O2}-{fp,nofp}.
#
# 1. Reference: gdb_bt.sh runs the scenario under gdb with `break *bt_leaf` and gives the stack
#    at each hit, newest first, with the ELF names of every frame's function (see gdb_bt.py).
#    It is checked against the chain the program is known to make (a broken reference is
#    reported as such, not as a ktap failure).
# 2. entry: ktap -c runs the scenario ROUNDS times with
#      probe process("PROG").function("bt_leaf") { print_ubacktrace_brief(); println("--") }
#    every printed backtrace must equal the reference.
# 3. return: the same from bt_leaf's .return probe; the backtrace starts at bt_leaf's caller and
#    must equal the reference without its first frame (bt_leaf).
#    For SCENARIO "return" both runs also have `probe process("PROG").function("chain_*").return {}`:
#    chain_a..chain_c's return addresses are then ktap's trampolines while bt_leaf runs, and the
#    unwinder must see through them.
#
# Comparison of one backtrace (one block between "--" lines of ktap's output) with gdb's:
# ktap's frame lines are "name+0xOFF" (a bare "0x..." is an unknown frame, compared as gdb's
# "??"); frames are compared one by one, same number, same order. A ktap name matches gdb's
# frame when it is gdb's name or one of the ELF names of the same function (aliases: gdb says
# "__GI_raise" where a symbol table gives "raise"). Both sides are normalized: whitespace is
# removed (demanglers differ in "> >"), and the signal trampoline frame, gdb's "<signal handler
# called>", and ktap's "__restore_rt" (x86_64 glibc), "__restore" (i386 glibc),
# "__kernel_rt_sigreturn" / "__kernel_sigreturn" (i386 vDSO) all become "<signal>". ktap's clone
# and part suffixes are dropped ("msort_with_tmp.part.0", "main.cold": gdb names the function).
# When gdb's stack ends at main, ktap's frames after main are not compared.
# Exit status: 0 pass, 1 fail, 77 skip (program or gdb missing).
#
# Environment:
#   KTAP_BACKTRACE_KEEP=1     keep the temporary folder (its path is printed)
#   KTAP_BACKTRACE_VERBOSE=1  print every ktap command line and the reference stacks
#   KTAP_BT_ROUNDS            rounds of the ktap runs (default 3; "threads" runs 4 threads a round)
#   KTAP_TIMEOUT              seconds before one ktap session counts as hung (default 30)
# ktap options: -D MAXBACKTRACE=256 for "recurse" (202 frames; the default limit is 20).
set -uo pipefail

if [ $# -lt 3 ]; then
    echo "usage: $0 KTAP BINDIR SCENARIO VARIANT | $0 KTAP BINDIR all [VARIANT...]" >&2
    exit 2
fi
ktap=$(realpath "$1")
bindir=$(realpath "$2")
[ -x "$bindir/tests/backtrace/bt_main-64-O0-fp" ] && bindir=$bindir/tests/backtrace
scenario=$3
shift 3
variant=${1:-64-O0-fp}
here=$(dirname "$(realpath "$0")")
rounds=${KTAP_BT_ROUNDS:-3}

E2E_NAME=backtrace E2E_TIMEOUT=30
# shellcheck source-path=SCRIPTDIR source=../lib/ktap_e2e.sh
. "$(dirname "$0")/../lib/ktap_e2e.sh"

# What each scenario runs, how many gdb hits make the reference, how many bt_leaf calls one
# round makes, and the stack the program is known to make (an ERE over gdb's folded names).
scenario_setup() {  # SCENARIO: sets prog, pargs, gdb_args (array), gdb_hits, per_round, want, kopts
    gdb_hits=3 per_round=1 kopts=()
    case $1 in
    chain | return)
        prog=bt_main pargs=chain want='^bt_leaf;chain_c;chain_b;chain_a;main$' ;;
    lib) prog=bt_main pargs=lib want='^bt_leaf;lib_cb;lib_inner;lib_outer;via_lib;main$' ;;
    qsort) prog=bt_main pargs=qsort want='^bt_leaf;cmp_cb;([^;]+;)+do_qsort;main$' ;;
    signal)
        prog=bt_main pargs=signal
        want='^bt_leaf;on_sigusr1;<signal handler called>;([^;]+;)+sig_raiser;main$' ;;
    recurse)
        # 202 frames: more than ktap's default MAXBACKTRACE (20, as SystemTap's)
        prog=bt_main pargs=recurse gdb_hits=1 kopts=(-D MAXBACKTRACE=256)
        want="^bt_leaf;$(printf 'recurse;%.0s' $(seq 200))main\$" ;;
    threads)
        # 4 threads a round: the reference is one round, every thread's hit
        prog=bt_main pargs=threads gdb_hits=4 per_round=4
        want='^bt_leaf;worker_step;worker(;[^;]+)+$' ;;
    catch) prog=bt_cxx pargs=catch want='^bt_leaf;cxx_in_catch;catcher;main$' ;;
    thread) prog=bt_cxx pargs=thread want='^bt_leaf;cxx_thread_fn(;[^;]+)+$' ;;
    function)
        prog=bt_cxx pargs=function
        want='^bt_leaf;Widget::run;fn_target;([^;]+;)*call_via_function;main$' ;;
    *) return 1 ;;
    esac
    gdb_args=("$pargs" $(((gdb_hits + per_round - 1) / per_round)))
    prog=$bindir/$prog-$variant
}

# ktap_folded FILE: ktap's print_ubacktrace_brief() blocks as folded lines, one per block.
# A frame line "name+0xOFF" gives name; a bare address gives "??". Also accepted: the long form
# "0xADDR : name+0xOFF/0xSIZE [module]". Clone and part suffixes are dropped: the symbol
# "msort_with_tmp.part.0" or "main.cold" (a part of main that gcc moved away) names
# msort_with_tmp or main, as gdb's DWARF names do.
ktap_folded() {
    awk '
    function fname(l) {
        sub(/^[ \t]+/, "", l); sub(/[ \t]+$/, "", l)
        sub(/^0x[0-9a-fA-F]+ : /, "", l)
        sub(/ \[[^]]*\]$/, "", l)
        if (l ~ /^0x[0-9a-fA-F]+$/) return "??"
        sub(/\+0x[0-9a-fA-F]+(\/0x[0-9a-fA-F]+)?$/, "", l)
        # a clone or a part of a function is named by the function, as gdb does
        while (l ~ / \[clone [^]]*\]$/) sub(/ \[clone [^]]*\]$/, "", l)
        sub(/(\.(part|cold|constprop|isra|lto_priv|localalias|clone)(\.[0-9]+)?)+$/, "", l)
        return l
    }
    /^--$/ { print block; block = ""; n = 0; next }
    /^[ \t]*$/ { next }
    { block = (n++ ? block ";" : "") fname($0) }
    END { if (n) print block }' "$1"
}

# match_stack REFS SKIP GOT OUTDIR: GOT (a folded line) matches one of the reference lines of
# REFS (gdb_bt.py's alias lines) without their first SKIP frames. Otherwise writes
# OUTDIR/expected and OUTDIR/got, one frame a line, for a diff against the first reference, and
# fails. In "expected", a frame that some ktap frame nearby names by an ELF alias shows that
# alias; one that does not match lists its other ELF names in [].
match_stack() {
    awk -v skip="$2" -v got="$3" -v dir="$4" '
    function norm(s) {
        gsub(/[ \t]/, "", s)
        if (s == "<signalhandlercalled>" || s == "__restore_rt" || s == "__restore" ||
            s == "__kernel_rt_sigreturn" || s == "__kernel_sigreturn") return "<signal>"
        return s
    }
    {
        nr++
        nf = split($0, fr, ";")
        k = 0
        for (i = 1 + skip; i <= nf; i++) {
            k++
            na = split(fr[i], al, "|")
            name[nr, k] = norm(al[1]); alts[nr, k] = ""
            for (j = 1; j <= na; j++) {
                ok[nr, k, norm(al[j])] = 1
                if (j > 1) alts[nr, k] = alts[nr, k] (j > 2 ? " " : "") norm(al[j])
            }
        }
        len[nr] = k
    }
    END {
        ng = split(got, g, ";")
        for (i = 1; i <= ng; i++) g[i] = norm(g[i])
        for (r = 1; r <= nr; r++) {
            if (len[r] != ng) continue
            for (i = 1; i <= ng && ((r, i, g[i]) in ok); i++) ;
            if (i > ng) exit 0
        }
        r = 1
        for (i = 1; i <= len[r]; i++) {
            e = name[r, i]
            for (d = 0; d <= 3; d++) {
                if (i + d <= ng && ((r, i, g[i + d]) in ok)) { e = g[i + d]; break }
                if (i - d >= 1 && ((r, i, g[i - d]) in ok)) { e = g[i - d]; break }
            }
            if (d > 3 && alts[r, i] != "") e = e " [" alts[r, i] "]"
            print e > (dir "/expected")
        }
        printf "" > (dir "/expected"); printf "" > (dir "/got")
        for (i = 1; i <= ng; i++) print g[i] > (dir "/got")
        close(dir "/expected"); close(dir "/got")
        exit 1
    }' "$1"
}

# fold_runs: "recurse;recurse;recurse" -> "recurse*3" (for showing long stacks).
fold_runs() {
    awk -F';' '{
        out = ""; n = 0
        for (i = 1; i <= NF; i++) {
            n++
            if (i == NF || $(i + 1) != $i) {
                out = out (out == "" ? "" : ";") $i (n > 1 ? "*" n : ""); n = 0
            }
        }
        print out
    }'
}

# reference: gdb's stacks for the scenario in $tmp/ref.names and $tmp/ref.alias.
reference() {
    local rc
    BT_GDB_HITS=$gdb_hits BT_GDB_ALIASES=$tmp/ref.alias \
        "$here/gdb_bt.sh" "$prog" "${gdb_args[@]}" >"$tmp/ref.names" 2>"$tmp/ref.err"
    rc=$?
    if [ $rc != 0 ] || [ ! -s "$tmp/ref.alias" ]; then
        fail "REFERENCE: gdb_bt.sh failed (status $rc)"
        show "$tmp/ref.err" 40
        return 1
    fi
    e2e_verbose && sort "$tmp/ref.names" | uniq -c | fold_runs | sed 's/^/  gdb: /'
    local bad
    bad=$(grep -Ev -- "$want" "$tmp/ref.names" | head -3)
    if [ -n "$bad" ]; then
        fail "REFERENCE: gdb's stack is not the chain the program makes (a gdb or toolchain problem, not ktap's)"
        echo "      want /$want/" | cut -c1-200
        echo "$bad" | fold_runs | sed 's/^/      gdb: /'
        return 1
    fi
    if [ "$(sort -u "$tmp/ref.alias" | wc -l)" != 1 ]; then
        note "gdb saw $(sort -u "$tmp/ref.names" | wc -l) different stacks; any of them is accepted"
    fi
    return 0
}

# compare WHAT SKIP EXPECTED_BLOCKS: ktap's output in $tmp/kt.script against the reference
# without its first SKIP frames.
compare() {
    local what=$1 skip=$2 want_blocks=$3 n bad=0 total=0 count line d dropped=""
    [ "$skip" != 0 ] && dropped="; gdb's stack without bt_leaf"
    ktap_folded "$tmp/kt.script" >"$tmp/$what.raw"
    # gdb stops at main (backtrace past-main off); ktap may go on into __libc_start_call_main,
    # __libc_start_main and _start: those frames are not compared.
    if grep -q ';main$' "$tmp/ref.names"; then
        awk -F';' '{ o = $1; for (i = 2; i <= NF && $(i - 1) != "main"; i++) o = o ";" $i; print o }' \
            "$tmp/$what.raw" >"$tmp/$what.folded"
    else
        cp "$tmp/$what.raw" "$tmp/$what.folded"
    fi
    n=$(wc -l <"$tmp/$what.folded")
    expect_eq "$what: backtraces printed (one per bt_leaf call)" "$want_blocks" "$n"
    [ "$n" = 0 ] && { show "$tmp/kt.script"; return; }
    while IFS=$'\t' read -r count line; do
        total=$((total + 1))
        d=$tmp/$what.diff.$total
        mkdir -p "$d"
        if ! match_stack "$tmp/ref.alias" "$skip" "$line" "$d"; then
            bad=$((bad + 1))
            fail "$what: $count of $n backtraces differ from gdb's (--- gdb, +++ ktap$dropped)"
            echo "      gdb:  $(tr '\n' ';' <"$d/expected" | sed 's/;$//' | fold_runs | cut -c1-400)"
            echo "      ktap: $(if [ -n "$line" ]; then echo "$line" | fold_runs | cut -c1-400; else echo "(an empty backtrace)"; fi)"
            diff -U2 --label gdb --label ktap "$d/expected" "$d/got" | head -40 | sed 's/^/      /'
        fi
    done < <(sort "$tmp/$what.folded" | uniq -c | sed 's/^ *\([0-9]*\) /\1\t/')
    e2e_verbose && [ $bad = 0 ] && note "$what: $n backtraces match"
}

# ktap_run WHAT SCRIPT: run the scenario under ktap, script output in $tmp/kt.script.
ktap_run() {
    kt "${kopts[@]}" -o "$tmp/kt.script" -e "$2" -c "$prog $pargs $rounds"
    expect_eq "$1: ktap exit status" 0 "$kt_rc"
    expect_clean_stderr "$1: stderr" "$tmp/kt.err"
    [ -f "$tmp/kt.script" ] || : >"$tmp/kt.script"
}

run_one() {  # SCENARIO
    local t0 secs extra="" print='{ print_ubacktrace_brief(); println("--") }'
    failures=0
    scenario_setup "$1" || { echo "unknown scenario '$1'"; return 2; }
    [ -x "$prog" ] || { echo "SKIP: $prog not built"; return 77; }
    command -v gdb >/dev/null || { echo "SKIP: gdb not installed (scripts/install-deps installs it)"; return 77; }
    t0=$(date +%s.%N)
    if reference; then
        [ "$1" = return ] && extra="probe process(\"$prog\").function(\"chain_*\").return {}
"
        ktap_run entry "${extra}probe process(\"$prog\").function(\"bt_leaf\") $print"
        compare entry 0 $((rounds * per_round))
        ktap_run return "${extra}probe process(\"$prog\").function(\"bt_leaf\").return $print"
        compare return 1 $((rounds * per_round))
    fi
    secs=$(elapsed "$t0")
    if [ $failures = 0 ]; then echo "PASS: backtrace.$1.$variant (${secs}s)"; return 0; fi
    echo "FAIL: backtrace.$1.$variant ($failures checks failed, ${secs}s)"
    return 1
}

if [ "$scenario" = all ]; then
    [ $# = 0 ] && set -- 64-O0-fp 64-O0-nofp 64-O2-fp 64-O2-nofp 32-O0-fp 32-O0-nofp 32-O2-fp 32-O2-nofp
    e2e_run_all backtrace "chain lib qsort signal recurse threads catch thread function return" "$@"
fi
run_one "$scenario"
