#!/usr/bin/env bash
# End-to-end tests of DWARF target variables (issue 6): one invocation runs one case against one
# build variant of typed.c:
#
#   run_dwarf_tests.sh KTAP BINDIR CASE VARIANT       (VARIANT: 64-O0 64-O2 32-O0 32-O2)
#   run_dwarf_tests.sh KTAP BINDIR all [VARIANT...]   (every case, summary at the end)
#
# BINDIR holds typed-VARIANT. typed.c prints, in each function, its own view of its arguments
# ("KEY field=value ..."); the scripts here print the same line from $vars; the two must be
# equal. Exceptions, stated where they are: the -L golden files (golden/, regen-golden.sh),
# the error messages (stap's wording, docs/stap-target-formats.md) and @defined results.
# Exit status: 0 pass, 1 fail, 77 skip (program missing).
#
# Environment: KTAP_DWARF_KEEP=1 keep the temporary folder; KTAP_DWARF_VERBOSE=1 print every
# ktap command line; KTAP_TIMEOUT seconds before one ktap session counts as hung (default 30).
set -uo pipefail

ktap=$(realpath "$1")
bindir=$(realpath "$2")
case_name=$3
shift 3
variant=${1:-64-O0}
bits=${variant%%-*}
opt=${variant##*-}
here=$(cd "$(dirname "$0")" && pwd)
src=$here/typed.c

# Shared helpers (fail, expect_*, kt, kt_bg, wait_bg, wait_for, the temporary folder $tmp).
E2E_NAME=dwarf E2E_TIMEOUT=30
E2E_SAME_FILE_MSG="differs (< program's view / expected, > ktap's)"
# shellcheck source-path=SCRIPTDIR source=../lib/ktap_e2e.sh
. "$here/../lib/ktap_e2e.sh"

prog=$bindir/typed-$variant

# run_compare WHAT ERE SCRIPT: run typed under ktap with SCRIPT (-c, all mode); the lines of
# the program's output matching ERE must equal the script's output (-o), in order; ktap exits
# 0 with a clean stderr.
# A 4th argument "filter" compares only the script's lines matching ERE (the script prints
# other lines the case checks itself).
run_compare() {
    local what=$1 ere=$2 script=$3 filter=${4:-}
    printf '%s\n' "$script" >"$tmp/$what.stp"
    kt -o "$tmp/script.out" "$tmp/$what.stp" -c "$prog all"
    expect_eq "$what: ktap exit status" 0 "$kt_rc"
    expect_clean_stderr "$what: stderr" "$tmp/kt.err"
    lines "$tmp/kt.out" "$ere" >"$tmp/want"
    [ -s "$tmp/want" ] || fail "$what: the program printed no line matching /$ere/"
    if [ -n "$filter" ]; then
        lines "$tmp/script.out" "$ere" >"$tmp/got"
    else
        cp "$tmp/script.out" "$tmp/got"
    fi
    expect_same_file "$what: probe view vs program view" "$tmp/want" "$tmp/got"
}

# ---- cases ----------------------------------------------------------------------------------

# ints: parameters of every integer width and signedness (11 of them: on x86_64 5 on the
# stack), negative and top-bit-set values, %d %u %x; the int $return.
case_ints() {
    run_compare ints '^(ints|intsu|intsx) |^ret ints=' '
probe process.function("sig_ints") {
  printf("ints c=%d sc=%d uc=%d s=%d us=%d i=%d u=%d l=%d ul=%d ll=%d ull=%d\n",
         $c, $sc, $uc, $s, $us, $i, $u, $l, $ul, $ll, $ull)
  printf("intsu c=%u sc=%u uc=%u s=%u us=%u i=%u u=%u l=%u ul=%u ll=%u ull=%u\n",
         $c, $sc, $uc, $s, $us, $i, $u, $l, $ul, $ll, $ull)
  printf("intsx c=%x sc=%x uc=%x s=%x us=%x i=%x u=%x l=%x ul=%x ll=%x ull=%x\n",
         $c, $sc, $uc, $s, $us, $i, $u, $l, $ul, $ll, $ull)
}
probe process.function("sig_ints").return { printf("ret ints=%d\n", $return) }'
}

# pointers: char * with user_string, int * (value and $ip[0]), enum as a number, _Bool, void *.
case_pointers() {
    run_compare pointers '^misc ' '
probe process.function("sig_misc") {
  printf("misc s=%s ip=%x deref=%d e=%d b=%d vp=%x\n", user_string($s), $ip, $ip[0], $e, $b, $vp)
}'
}

# structs: -> chains through pointers, arrays in structs (constant and computed index), a
# struct member reached with -> (stap uses -> for .), unions, signed and unsigned bitfields,
# &$p->field; a small struct passed by value (x86_64: in registers); an array parameter (a
# pointer) indexed; typedef'd parameters. A big struct passed by value (on the stack): at -O2
# GCC's location list for it starts after the entry, where stap says "not accessible"; ktap
# takes it from the calling convention at the entry of a function with external linkage
# (docs/dwarf.md), so its value is compared at every level.
case_structs() {
    run_compare structs '^(struct|byval|bigval|arr|typedef) ' '
probe process.function("sig_struct") {
  printf("struct id=%d inner_x=%d self_x=%d arr2=%d arr_dyn=%d pt_y=%d u_i=%d u_b0=%d bf_s=%d bf_u=%u bf_hi=%u pt_addr=%x arr1_addr=%x\n",
         $o->id, $o->inner->x, $o->inner->self->x, $o->arr[2], $o->arr[$o->id], $o->pt->y,
         $o->u->i, $o->u->bytes[0], $o->bf_s, $o->bf_u, $o->bf_hi, &$o->pt, &$o->arr[1])
}
probe process.function("sig_byval") { printf("byval x=%d y=%d tail=%d\n", $p->x, $p->y, $tail) }
probe process.function("sig_arr") { printf("arr a1=%d n=%d\n", $arr[1], $n) }
probe process.function("sig_typedef") { printf("typedef id=%u pt_x=%d n=%u\n", $id, $pt->x, $n) }
probe process.function("sig_bigval") { printf("bigval field=%d pad0=%d\n", $b->field, $b->pad[0]) }'
}

# pretty: $ps$ (shallow), $ps$$ (deep), $ps->pt$ in stap's format (docs/stap-target-formats.md
# §5). The program prints the expected strings; they are also checked against the literal
# strings below (stap's format for these values), so a change to typed.c cannot move both.
case_pretty() {
    run_compare pretty '^pretty_' '
probe process.function("sig_pretty") {
  printf("pretty_shallow %s\n", $ps$)
  printf("pretty_deep %s\n", $ps$$)
  printf("pretty_pt %s\n", $ps->pt$)
}'
    expect_eq "stap format, shallow" \
        "pretty_shallow {.a=-1, .b=4294967295, .c='A', .pt={...}, .arr=[...], .bf=-2, .ubf=9, .e=2}" \
        "$(lines "$tmp/kt.out" '^pretty_shallow ')"
    expect_eq "stap format, deep" \
        "pretty_deep {.a=-1, .b=4294967295, .c='A', .pt={.x=3, .y=4}, .arr=[7, ...], .bf=-2, .ubf=9, .e=2}" \
        "$(lines "$tmp/kt.out" '^pretty_deep ')"
}

# parms: $$parms (hex, widened: c=-1 is 0xffffffffffffffff, d=0 is 0x0), $$parms$, $$vars
# (= $$parms here: no locals), $$locals (empty), $$return in the return probe; sig_locals:
# $$locals lists the outermost block's locals only, each =0x... or =? (values at the entry are
# whatever the stack holds), an array as =[...].
case_parms() {
    run_compare parms '^parms' '
probe process.function("sig_parms") {
  printf("parms %s\n", $$parms)
  printf("parms_pretty %s\n", $$parms$)
  printf("parms_locals [%s]\n", $$locals)
}
probe process.function("sig_parms").return { printf("parms_return %s\n", $$return) }'
    expect_eq "stap format" "parms a=0x5 b=0xffffffff c=0xffffffffffffffff d=0x0" \
        "$(lines "$tmp/kt.out" '^parms a=')"

    printf '%s\n' '
probe process.function("sig_parms") { printf("vars %s\n", $$vars) }
probe process.function("sig_locals") {
  printf("locals_parms %s\n", $$parms)
  printf("locals_locals %s\n", $$locals)
  printf("locals_vars %s\n", $$vars)
}' >"$tmp/parms2.stp"
    kt -o "$tmp/script.out" "$tmp/parms2.stp" -c "$prog all"
    expect_eq "\$\$vars etc.: ktap exit status" 0 "$kt_rc"
    expect_clean_stderr "\$\$vars etc.: stderr" "$tmp/kt.err"
    local o=$tmp/script.out
    expect_eq "\$\$vars without locals = \$\$parms" \
        "vars $(lines "$tmp/kt.out" '^parms a=' | sed 's/^parms //')" "$(lines "$o" '^vars ')"
    expect_eq "sig_locals \$\$parms" "locals_parms a=0x3" "$(lines "$o" '^locals_parms ')"
    expect_grep "sig_locals \$\$locals: sq, sum, window=[...], not the nested block's k/inner" "$o" \
        '^locals_locals sq=(0x[0-9a-f]+|\?) sum=(0x[0-9a-f]+|\?) window=\[\.\.\.\]$'
    expect_grep "sig_locals \$\$vars" "$o" \
        '^locals_vars a=0x3 sq=(0x[0-9a-f]+|\?) sum=(0x[0-9a-f]+|\?) window=\[\.\.\.\]$'
}

# returns: $return typed from DWARF: negative int, unsigned, signed/unsigned char, short,
# long long (i386: edx:eax), unsigned long long with the top bit set, a pointer
# ($return->field), a 16-byte struct (x86_64: rax:rdx; i386: memory), a big struct (hidden
# pointer), an enum.
case_returns() {
    run_compare returns '^ret (neg|uint|schar|uchar|short|ll|ull|ptr_y|pair|big|enum)[ =]' '
probe process.function("ret_neg").return { printf("ret neg=%d\n", $return) }
probe process.function("ret_uint").return { printf("ret uint=%d\n", $return) }
probe process.function("ret_schar").return { printf("ret schar=%d\n", $return) }
probe process.function("ret_uchar").return { printf("ret uchar=%d\n", $return) }
probe process.function("ret_short").return { printf("ret short=%d\n", $return) }
probe process.function("ret_ll").return { printf("ret ll=%d\n", $return) }
probe process.function("ret_ull").return { printf("ret ull=%d\n", $return) }
probe process.function("ret_ptr").return { printf("ret ptr_y=%d\n", $return->y) }
probe process.function("ret_pair").return { printf("ret pair a=%d b=%d\n", $return->a, $return->b) }
probe process.function("ret_big").return { printf("ret big field=%d\n", $return->field) }
probe process.function("ret_enum").return { printf("ret enum=%d\n", $return) }'
}

# return-double: a double $return is refused before the session starts, with a message that
# says why; @defined($return) there is 0 (no error).
case_return-double() {
    kt -e 'probe process.function("ret_double").return { printf("%d\n", $return) }' -c "$prog all"
    expect_eq "ktap exit status" 1 "$kt_rc"
    expect_grep "the error names floating point" "$tmp/kt.err" '[Ff]loat|double'
    expect_grep "the error points at \$return" "$tmp/kt.err" '\$return|<input>:1:'
    expect_no_grep "no session ran" "$tmp/kt.out" '^ret double='
}

# entry: parameters in a return probe: @entry($a) and plain $a (stap's warning on stderr, the
# value is the entry snapshot too); sig_entry changes a and b before returning.
case_entry() {
    run_compare entry '^entry ' '
probe process.function("sig_entry").return {
  printf("entry a=%d b=%d ret=%d\n", @entry($a), @entry($b), $return)
}'
    printf '%s\n' 'probe process.function("sig_entry").return {
  printf("entry a=%d b=%d ret=%d\n", $a, $b, $return)
}' >"$tmp/entry2.stp"
    kt -o "$tmp/script.out" "$tmp/entry2.stp" -c "$prog all"
    expect_eq "plain \$a: ktap exit status" 0 "$kt_rc"
    expect_same_file "plain \$a: probe view vs program view" <(lines "$tmp/kt.out" '^entry ') \
        "$tmp/script.out"
    # stap: "WARNING: confusing usage, value is captured as @entry($a) in .return probe ...";
    # ktap words compile-time diagnostics its own way ("FILE:L:C: warning: ..."): either form.
    expect_grep "plain \$a: stap's warning" "$tmp/kt.err" \
        '([Ww][Aa][Rr][Nn][Ii][Nn][Gg]).*confusing usage, .*@entry\(\$a\).* in \.return probe'
    expect_grep "plain \$b: stap's warning" "$tmp/kt.err" '@entry\(\$b\)'
    expect_grep "the warning names the place" "$tmp/kt.err" 'entry2\.stp:2:[0-9]+'
}

# cast: @cast(pointer_arg(1), "struct point")->y, @cast($addr, "struct point")->x, with the
# module argument; an unknown type is an error naming it.
case_cast() {
    run_compare cast '^cast ' '
probe process.function("sig_cast") {
  printf("cast y=%d x=%d\n", @cast(pointer_arg(1), "struct point")->y, @cast($addr, "struct point")->x)
}'
    run_compare cast-module '^cast ' "
probe process.function(\"sig_cast\") {
  printf(\"cast y=%d x=%d\n\", @cast(\$addr, \"struct point\", \"$prog\")->y,
         @cast(\$addr, \"struct point\", \"$prog\")->x)
}"
    kt -e 'probe process.function("sig_cast") { printf("%d\n", @cast($addr, "struct nosuch")->x) }' \
        -c "$prog all"
    expect_eq "unknown type: ktap exit status" 1 "$kt_rc"
    expect_grep "unknown type: the error names it" "$tmp/kt.err" "struct nosuch"
}

# var: @var("global_counter"), @var("static_name@typed.c") (a file-static), with the module
# argument too.
case_var() {
    run_compare var '^var ' '
probe process.function("sig_var") {
  printf("var counter=%d static=%d round=%d\n", @var("global_counter"), @var("static_name@typed.c"), $round)
}'
    run_compare var-module '^var ' "
probe process.function(\"sig_var\") {
  printf(\"var counter=%d static=%d round=%d\n\", @var(\"global_counter\", \"$prog\"),
         @var(\"static_name@typed.c\", \"$prog\"), \$round)
}"
}

# defined: @defined is decided when the script is compiled (expected values are stap's).
case_defined() {
    printf '%s\n' 'global once
probe process.function("sig_struct") {
  if (once++) next
  printf("defined nosuch=%d o=%d pty=%d nofield=%d\n", @defined($nosuch) ? 1 : 0,
         @defined($o) ? 1 : 0, @defined($o->pt->y) ? 1 : 0, @defined($o->nosuch) ? 1 : 0)
  printf("guarded id=%d\n", @defined($o->id) ? $o->id : -1)
  printf("guarded2 x=%d\n", @defined($nosuch) ? $nosuch : -1)
}' >"$tmp/defined.stp"
    kt -o "$tmp/script.out" "$tmp/defined.stp" -c "$prog all"
    expect_eq "ktap exit status" 0 "$kt_rc"
    expect_clean_stderr "stderr" "$tmp/kt.err"
    expect_eq "@defined results" "defined nosuch=0 o=1 pty=1 nofield=0" \
        "$(lines "$tmp/script.out" '^defined ')"
    expect_eq "@defined guard, defined" "guarded id=3" "$(lines "$tmp/script.out" '^guarded ')"
    expect_eq "@defined guard, undefined" "guarded2 x=-1" "$(lines "$tmp/script.out" '^guarded2 ')"
}

# unknown: $nosuch is a compile-time error naming the variable, with the alternatives (the
# parameters in scope) and file:line:col with the source line and a caret; nothing runs.
case_unknown() {
    printf '%s\n' '# a script with an unknown target variable' \
        'probe process.function("sig_parms") {' \
        '  printf("%d\n", $a + $nosuch)' \
        '}' >"$tmp/unknown.stp"
    kt "$tmp/unknown.stp" -c "$prog all"
    expect_eq "ktap exit status" 1 "$kt_rc"
    expect_grep "names the variable" "$tmp/kt.err" "'?\\\$?nosuch'?"
    expect_grep "lists the alternatives" "$tmp/kt.err" 'alternatives:.*\$a'
    expect_grep "names file:line:col" "$tmp/kt.err" 'unknown\.stp:3:[0-9]+'
    expect_grep "shows the source line" "$tmp/kt.err" 'printf\("%d\\n", \$a \+ \$nosuch\)'
    expect_grep "a caret" "$tmp/kt.err" '^ *\^'
    expect_no_grep "the program did not run" "$tmp/kt.out" '^parms '
}

# fault: $n->next->x with next == NULL: stap's run-time error (read fault at the address read,
# near the expression); with MAXERRORS=0 (the default) the session ends after the first one
# (exit 1); the traced program is unharmed: it goes on, its output is what it prints
# untraced, it exits 0. With -DMAXERRORS=10 every hit's handler is aborted and counted.
start_faulter() {  # sets f_pid, f_out
    f_out=$tmp/faulter.out
    rm -f "$tmp/f.in" "$f_out"
    mkfifo "$tmp/f.in"
    "$prog" fault <"$tmp/f.in" >"$f_out" 2>&1 &
    f_pid=$!
    bg_pids+=("$f_pid")
    exec 3>"$tmp/f.in"
    wait_for "$f_out" '^ready pid=' 10 || { fail "typed fault did not start"; show "$f_out"; return 1; }
}
finish_faulter() {  # ROUNDS: close stdin; the program exits 0 with its normal output
    exec 3>&-
    wait_bg "$f_pid" 10 || { fail "the program did not exit after stdin closed"; return; }
    expect_eq "the program's exit status" 0 "$bg_rc"
    { echo "ready pid=$f_pid"; for ((i = 0; i < $1; i++)); do echo "list x=5"; echo "ret list=0"; done
      echo done; } >"$tmp/f.want"
    expect_same_file "the program's output" "$tmp/f.want" "$f_out"
}
case_fault() {
    local addr=8
    [ "$bits" = 32 ] && addr=4
    start_faulter || return
    rm -f "$tmp/ktbg.script"
    kt_bg -o "$tmp/ktbg.script" -e 'probe begin { printf("armed\n") }
probe process.function("sig_list") { printf("before\n"); printf("next_x=%d\n", $n->next->x); printf("after\n") }' \
        -x "$f_pid"
    wait_for "$tmp/ktbg.script" '^armed$' 15 || { fail "ktap never armed"; show "$tmp/ktbg.err"; }
    echo go >&3
    wait_bg "$kt_pid" 15 || fail "ktap did not end after the fault"
    expect_eq "ktap exit status (MAXERRORS=0)" 1 "$bg_rc"
    expect_grep "stap's fault message" "$tmp/ktbg.err" \
        "^ERROR: read fault \\[man error::fault\\] at 0x0*$addr\\b.* near .*"
    expect_grep "the error is located" "$tmp/ktbg.err" '^ERROR: .*<input>:2:[0-9]+'
    expect_grep "error count" "$tmp/ktbg.err" '^WARNING: Number of errors: 1, skipped probes: 0$'
    expect_eq "handler aborted at the fault" "before" "$(tr '\n' ' ' <"$tmp/ktbg.script" | sed 's/armed //; s/ $//')"
    echo go >&3
    finish_faulter 2

    start_faulter || return
    rm -f "$tmp/ktbg2.script"
    kt_bg -DMAXERRORS=10 -o "$tmp/ktbg2.script" -e 'probe begin { printf("armed\n") }
probe process.function("sig_list") { printf("before\n"); printf("next_x=%d\n", $n->next->x); printf("after\n") }' \
        -x "$f_pid"
    wait_for "$tmp/ktbg2.script" '^armed$' 15 || { fail "ktap never armed (MAXERRORS=10)"; show "$tmp/ktbg.err"; }
    echo go >&3; echo go >&3; echo go >&3
    wait_for "$f_out" '^ret list=0$' 5
    sleep 0.5
    finish_faulter 3
    wait_bg "$kt_pid" 15 || fail "ktap did not end with the program (MAXERRORS=10)"
    expect_eq "three handlers ran and were aborted" "before before before" \
        "$(grep -v armed "$tmp/ktbg2.script" | tr '\n' ' ' | sed 's/ $//')"
    expect_eq "three fault errors" 3 "$(grep -c '^ERROR: read fault' "$tmp/ktbg.err")"
    expect_grep "error count (MAXERRORS=10)" "$tmp/ktbg.err" '^WARNING: Number of errors: 3, skipped probes: 0$'
}

# file: function("f@typed.c") matches (hits, pp() names the absolute file and line as DWARF
# gives them, -l too), function("f@other.c") does not (error naming it).
case_file() {
    local line
    line=$(grep -n '^SIG void sig_void' "$src" | cut -d: -f1)
    printf '%s\n' 'global n, p
probe process.function("sig_void@typed.c") { n++; p = pp() }
probe end { printf("void calls=%d\n", n); printf("pp %s\n", p) }' >"$tmp/file.stp"
    kt -o "$tmp/script.out" "$tmp/file.stp" -c "$prog all"
    expect_eq "@typed.c: ktap exit status" 0 "$kt_rc"
    expect_clean_stderr "@typed.c: stderr" "$tmp/kt.err"
    expect_eq "@typed.c: hits = the program's calls" "void calls=$(grep -c '^void x=' "$tmp/kt.out")" \
        "$(lines "$tmp/script.out" '^void calls=')"
    expect_eq "pp() with @file" "pp process(\"$prog\").function(\"sig_void@$src:$line\")" \
        "$(lines "$tmp/script.out" '^pp ')"
    kt -l "process(\"$prog\").function(\"sig_void\")"
    expect_eq "-l sig_void" "process(\"$prog\").function(\"sig_void@$src:$line\")" "$(cat "$tmp/kt.out")"
    kt -l "process(\"$prog\").function(\"sig_void@*/dwarf/typed.c\")"
    expect_eq "-l sig_void@*/dwarf/typed.c" "process(\"$prog\").function(\"sig_void@$src:$line\")" "$(cat "$tmp/kt.out")"
    kt -e 'probe process.function("sig_void@other.c") { n++ } global n' -c "$prog all"
    expect_eq "@other.c: ktap exit status" 1 "$kt_rc"
    expect_grep "@other.c: the error names the probe point" "$tmp/kt.err" 'sig_void@other\.c'
}

# list-vars: -L for the sig_* functions, entry and .return, equals golden/<variant>.L and
# golden/<variant>.return.L (paths replaced by @PROG@ and @SRC@). The golden files come from
# stap_list_vars.py (stap's rules applied to readelf's view of the DWARF).
case_list-vars() {
    local kind suffix
    for kind in entry return; do
        suffix=""; [ $kind = return ] && suffix=".return"
        kt -L "process(\"$prog\").function(\"sig_*\")$suffix"
        expect_eq "-L$suffix: ktap exit status" 0 "$kt_rc"
        expect_clean_stderr "-L$suffix: stderr" "$tmp/kt.err"
        sed -e "s|$prog|@PROG@|g" -e "s|$src|@SRC@|g" "$tmp/kt.out" >"$tmp/L.got"
        expect_same_file "-L$suffix vs golden/$variant${suffix}.L" "$here/golden/$variant$suffix.L" "$tmp/L.got"
    done
}

# reader: compiler/dwarf's own view (vars-dump, built here) equals the golden -L lines: names,
# files, lines, parameters then outermost-scope locals, type spellings, $return types.
case_reader() {
    local suffix dump=$bindir/vars-dump
    [ -x "$dump" ] || { fail "$dump not built (target ktap-dwarf-programs)"; return; }
    for suffix in "" .return; do
        timeout 30 "$dump" "$prog" 'sig_*' ${suffix:+return} >"$tmp/R.out" 2>"$tmp/R.err"
        expect_eq "vars-dump$suffix exit status" 0 "$?"
        expect_clean_stderr "vars-dump$suffix stderr" "$tmp/R.err"
        sed -e "s|$prog|@PROG@|g" -e "s|$src|@SRC@|g" "$tmp/R.out" >"$tmp/R.got"
        expect_same_file "reader$suffix vs golden/$variant$suffix.L" "$here/golden/$variant$suffix.L" "$tmp/R.got"
    done
}

# clone: at -O2 GCC turns isra_fn into isra_fn.<suffixes> (checked with nm); probing
# function("isra_fn") and function("clone_fn") by their source names gets every call.
case_clone() {
    if [ "$opt" != O2 ]; then echo "SKIP: clones only at -O2"; skipped=1; return; fi
    local clones
    clones=$(nm "$prog" | awk '$3 ~ /^(isra_fn|clone_fn)\./ { print $3 }' | tr '\n' ' ')
    [ -n "$clones" ] || fail "GCC made no clone of isra_fn/clone_fn in $prog (nm)"
    note "clones: $clones"
    run_compare clone '^clone ' 'global c, r, names
probe process.function("clone_fn") { c++; names[ppfunc()]++ }
probe process.function("isra_fn") { r++; names[ppfunc()]++ }
probe end {
  printf("clone clone_fn=%d isra_fn=%d\n", c, r)
  foreach (n+ in names) printf("name %s\n", n)
}' filter
    expect_eq "ppfunc() is the source name" "name clone_fn name isra_fn" \
        "$(lines "$tmp/script.out" '^name ' | tr '\n' ' ' | sed 's/ $//')"
}

# debuginfo: the program stripped of its DWARF, the DWARF in a separate file under a debug root
# by build-id (<root>/.build-id/xx/rest.debug, as Debian's -dbg packages; KTAP_DEBUG_ROOT stands
# for /usr/lib/debug): $params and -L read from there.
case_debuginfo() {
    local id root=$tmp/debugroot stripped=$tmp/typed-stripped
    id=$(readelf -n "$prog" | awk '/Build ID:/ { print $3 }')
    [ -n "$id" ] || { fail "no build-id in $prog"; return; }
    mkdir -p "$root/.build-id/${id:0:2}"
    objcopy --only-keep-debug "$prog" "$root/.build-id/${id:0:2}/${id:2}.debug"
    objcopy --strip-debug "$prog" "$stripped"
    if readelf -S "$stripped" | grep -q '\.debug_info'; then fail "strip left .debug_info"; fi
    printf '%s\n' 'probe process.function("sig_ints") { printf("ints c=%d sc=%d uc=%d s=%d us=%d i=%d u=%d l=%d ul=%d ll=%d ull=%d\n", $c, $sc, $uc, $s, $us, $i, $u, $l, $ul, $ll, $ull) }' >"$tmp/dbg.stp"
    KTAP_DEBUG_ROOT=$root kt -o "$tmp/script.out" "$tmp/dbg.stp" -c "$stripped all"
    expect_eq "debuginfo: ktap exit status" 0 "$kt_rc"
    expect_clean_stderr "debuginfo: stderr" "$tmp/kt.err"
    lines "$tmp/kt.out" '^ints ' >"$tmp/want"
    expect_same_file "debuginfo: probe view vs program view" "$tmp/want" "$tmp/script.out"
    # Without the debug root there is no DWARF: a clear error naming where ktap looked.
    KTAP_DEBUG_ROOT=$tmp/nowhere kt "$tmp/dbg.stp" -c "$stripped all"
    expect_eq "debuginfo: without DWARF, ktap exit status" 1 "$kt_rc"
    expect_grep "debuginfo: without DWARF, the error says so" "$tmp/kt.err" "has no DWARF"
}

# cxx: C++ (typedcxx.cpp): `$this->member` (a base class's member too), a const reference
# parameter reached with ->, an int& read as the int it refers to, a namespace-qualified
# function name; $this$ without the vtable pointer (stap leaves _vptr out).
case_cxx() {
    local cprog=$bindir/typedcxx-$variant
    printf '%s\n' 'probe process.function("shapes::Point::sum") { printf("sum x=%d y=%d id=%d k=%d\n", $this->x, $this->y, $this->id, $k) }
probe process.function("shapes::by_ref") { printf("by_ref px=%d out=%d\n", $p->x, $out) }' >"$tmp/cxx.stp"
    kt -o "$tmp/script.out" "$tmp/cxx.stp" -c "$cprog"
    expect_eq "cxx: ktap exit status" 0 "$kt_rc"
    expect_clean_stderr "cxx: stderr" "$tmp/kt.err"
    lines "$tmp/kt.out" '^(sum|by_ref) ' >"$tmp/want"
    [ -s "$tmp/want" ] || fail "cxx: the program printed nothing"
    expect_same_file "cxx: probe view vs program view" "$tmp/want" "$tmp/script.out"
    kt -o "$tmp/script.out" -e 'probe process.function("shapes::Point::sum") { println($this$); exit() }' -c "$cprog"
    expect_eq "cxx: \$this\$" "{.id=7, .x=3, .y=4}" "$(head -1 "$tmp/script.out")"
}

all_cases="reader debuginfo ints pointers structs pretty parms returns return-double entry cast var defined
unknown fault file list-vars cxx clone"

run_one() {
    local t0 secs
    failures=0
    if ! declare -F "case_$1" >/dev/null; then echo "unknown case '$1'"; return 2; fi
    [ -x "$prog" ] || { echo "SKIP: $prog not built"; return 77; }
    t0=$(date +%s.%N)
    skipped=0
    "case_$1"
    exec 3>&- 2>/dev/null
    local p
    for p in "${bg_pids[@]}"; do kill -KILL "$p" 2>/dev/null; done   # nothing outlives its case
    bg_pids=()
    secs=$(elapsed "$t0")
    [ $skipped = 1 ] && return 77
    if [ $failures = 0 ]; then echo "PASS: dwarf.$1.$variant (${secs}s)"; return 0; fi
    echo "FAIL: dwarf.$1.$variant ($failures checks failed, ${secs}s)"
    return 1
}

if [ "$case_name" = all ]; then
    e2e_variant_setup() { bits=${variant%%-*} opt=${variant##*-} prog=$bindir/typed-$variant; }
    e2e_skip_case() { [ "$1" = clone ] && [ "$opt" != O2 ]; }
    [ $# = 0 ] && set -- 64-O0 64-O2 32-O0 32-O2
    e2e_run_all dwarf "$all_cases" "$@"
fi
run_one "$case_name"
