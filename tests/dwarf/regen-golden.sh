#!/usr/bin/env bash
# Regenerates tests/dwarf/golden/<variant>.L and <variant>.return.L: what stap -L prints for
# process("typed-<variant>").function("sig_*") (and .return), with the program's path replaced
# by @PROG@ and typed.c's path by @SRC@.
#
#   tests/dwarf/regen-golden.sh BINDIR                 from stap_list_vars.py (stap's rules over
#                                                      readelf's view of the DWARF): the default
#   tests/dwarf/regen-golden.sh BINDIR --ktap KTAP     from ktap -L itself (after an intended
#                                                      change; review the diff against stap's rules)
#
# BINDIR is the build folder of tests/dwarf (e.g. build/tests/dwarf) holding typed-<variant>.
# Run it after editing typed.c (the lines name source lines). Review `git diff tests/dwarf/golden`.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bindir=$(realpath "$1")
ktap=""
if [ "${2:-}" = --ktap ]; then ktap=$(realpath "$3"); fi
src=$here/typed.c
mkdir -p "$here/golden"
for variant in 64-O0 64-O2 32-O0 32-O2; do
    prog=$bindir/typed-$variant
    [ -x "$prog" ] || { echo "missing $prog (build target ktap-dwarf-programs)" >&2; exit 1; }
    for suffix in "" .return; do
        out=$here/golden/$variant$suffix.L
        if [ -n "$ktap" ]; then
            "$ktap" -L "process(\"$prog\").function(\"sig_*\")$suffix"
        else
            python3 "$here/stap_list_vars.py" "$prog" 'sig_*' ${suffix:+return}
        fi | sed -e "s|$prog|@PROG@|g" -e "s|$src|@SRC@|g" >"$out"
        echo "wrote $out ($(wc -l <"$out") lines)"
    done
done
