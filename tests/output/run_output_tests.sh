#!/usr/bin/env bash
# End-to-end tests of ktap's output for machines (docs/output.md): -f json, -o with -S
# rotation, kill -9 of ktap while writing, a reader that does not keep up, metrics files read by
# Prometheus's own parsers, -l/-L and --dump-probe-types in JSON.
#   run_output_tests.sh KTAP SRC_DIR BIN_DIR CASE [VARIANT]
# BIN_DIR is the build directory: tests/target/{counts,hotloop}-VARIANT and examples/demo-server.
set -uo pipefail
ktap=$1 src=$2 bins=$3 case=$4 variant=${5:-64-O2}
py=/usr/bin/python3  # Debian's, where python3-jsonschema and python3-prometheus-client live
tool="$py $src/tests/output/ktap_json.py"
schema=$src/docs/output-schema.json
work=$(mktemp -d /tmp/ktap-output.XXXXXX)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

# Runs ktap twice, as text and as JSON; the JSON must match the schema and hold the same
# numbers (ktap_json.py text == normalize). MASK: a sed expression for what differs between
# two runs (timestamps).
same_as_text() {
    local name=$1 mask=$2
    shift 2
    "$ktap" "$@" > "$work/$name.txt" 2> "$work/$name.err" || fail "$name: text run failed: $(cat "$work/$name.err")"
    "$ktap" -f json "$@" > "$work/$name.json" 2> "$work/$name.jerr" || fail "$name: json run failed: $(cat "$work/$name.jerr")"
    $tool validate "$schema" "$work/$name.json" > "$work/$name.types" || fail "$name: schema"
    $tool text "$work/$name.json" | sed -E "$mask" > "$work/$name.a"
    $tool normalize "$work/$name.txt" | sed -E "$mask" > "$work/$name.b"
    diff "$work/$name.b" "$work/$name.a" > "$work/$name.diff" ||
        fail "$name: the JSON and the text differ: $(head -20 "$work/$name.diff")"
    tail -1 "$work/$name.json" | grep -q '"type":"end".*"status":0' || fail "$name: no end event"
    echo "$name: same numbers ($(cat "$work/$name.types"))"
}

# The hist event's count, min and max against the numbers the script printed beside it.
hist_matches_printf() {
    local name=$1
    "$ktap" -f json "${@:2}" > "$work/$name.json" 2> "$work/$name.jerr" || fail "$name: $(cat "$work/$name.jerr")"
    $tool validate "$schema" "$work/$name.json" > /dev/null || fail "$name: schema"
    $py - "$work/$name.json" <<'PY' || fail "$name: histogram and printf disagree"
import json, re, sys
events = [json.loads(l) for l in open(sys.argv[1])]
printed = ''.join(e['data'] for e in events if e['type'] == 'output')
hists = [e for e in events if e['type'] == 'hist']
counts = [int(x) for x in re.findall(r'(\d+) (?:samples|calls)', printed)]
assert hists, 'no hist event'
assert counts[-1] == hists[-1]['count'] == sum(b['count'] for b in hists[-1]['buckets']), (counts, hists[-1])
m = re.search(r'min (-?\d+), avg (-?\d+), max (-?\d+)', printed)
if m:
    assert (int(m.group(1)), int(m.group(3))) == (hists[-1]['min'], hists[-1]['max'])
print(f"{sys.argv[1]}: {counts[-1]} values in {len(hists[-1]['buckets'])} buckets")
PY
}

case $case in
examples)
    server=$bins/examples/demo-server
    cd "$src"
    same_as_text hello '' examples/hello.stp
    hist_matches_printf histogram examples/histogram.stp
    hist_matches_printf latency -c "$server 300 > /dev/null" examples/latency.stp process_request
    # thread_indent's timestamp, the process and addresses (ASLR) differ between two runs.
    same_as_text calltree 's/^ *[0-9]+ [^:]+:/T:/; s/0x[0-9a-f]+/0xADDR/g' -c "$server 20 > /dev/null" examples/calltree.stp 'parse_*'
    same_as_text flamegraph '' -c "$server 300 > /dev/null" examples/flamegraph.stp process_request
    for ex in profile cpu-flamegraph topfuncs; do
        "$ktap" -f json -T 1 -c "$server 2000 > /dev/null" examples/$ex.stp > "$work/$ex.json" 2> "$work/$ex.err" ||
            fail "$ex: $(cat "$work/$ex.err")"
        $tool validate "$schema" "$work/$ex.json" || fail "$ex: schema"
        if [ -s "$work/$ex.err" ]; then fail "$ex: stderr under -f json: $(cat "$work/$ex.err")"; fi
    done
    ;;
bytes)
    # Every byte value a script can print, a lone \x06 (the histogram marker's first byte) and
    # a line without its newline at the end: the JSON is valid and its bytes are the text's.
    script='probe begin { for (i = 1; i < 256; i++) printf("%c", i); printf("\n\x06H not a marker\nno newline") exit() }'
    "$ktap" -e "$script" > "$work/bytes.txt" || fail "text run"
    "$ktap" -f json -e "$script" > "$work/bytes.json" || fail "json run"
    $tool validate "$schema" "$work/bytes.json" || fail "schema"
    $py - "$work/bytes.json" "$work/bytes.txt" <<'PY' || fail "bytes differ"
import base64, json, sys
data = b''
for line in open(sys.argv[1], 'rb'):
    e = json.loads(line)
    if e['type'] == 'output':
        data += base64.b64decode(e['data_base64']) if 'data_base64' in e else e['data'].encode()
assert data == open(sys.argv[2], 'rb').read(), 'decoded JSON output differs from the text'
print(f'{len(data)} bytes equal')
PY
    ;;
diagnostics)
    printf 'global n\nprobe begin {\n  n = "many" + 1\n}\n' > "$work/bad.stp"
    "$ktap" -f json "$work/bad.stp" > "$work/bad.json" 2> "$work/bad.err" && fail "a bad script ran"
    $tool validate "$schema" "$work/bad.json" || fail "schema"
    grep -q '"type":"error".*"line":3,"column":' "$work/bad.json" || fail "no positioned error: $(cat "$work/bad.json")"
    "$ktap" -f json -e 'probe begin { error("boom") }' > "$work/rt.json" 2>&1 && fail "error() exit 0"
    grep -q '"type":"error","message":"boom"' "$work/rt.json" || fail "runtime error: $(cat "$work/rt.json")"
    tail -1 "$work/rt.json" | grep -q '"type":"end".*"status":1' || fail "no failing end event"
    echo "diagnostics: $(cat "$work/bad.json" | head -1)"
    ;;
rotation)
    # 4 MB of numbered lines into -S 1,3: files out.N of at most 1 MiB each ending with a whole
    # line, only the last three kept, together the end of the output without a gap.
    script='global n probe timer.ms(1) { for (i = 0; i < 400; i++) printf("line %08d %s\n", n++, "................................................................................") if (n >= 40000) exit() }'
    "$ktap" -D KTAP_RING_BYTES=16777216 -D MAXACTION=100000 -o "$work/out" -S 1,3 -e "$script" 2> "$work/rot.err" ||
        fail "run: $(cat "$work/rot.err")"
    if [ -s "$work/rot.err" ]; then fail "warnings: $(cat "$work/rot.err")"; fi
    ls "$work" | grep '^out' > "$work/files"
    last=$(sed 's/out\.//' "$work/files" | sort -n | tail -1)
    [ "$(wc -l < "$work/files")" = 3 ] || fail "kept $(cat "$work/files" | tr '\n' ' ')"
    [ "$last" -ge 3 ] || fail "only $((last + 1)) files for 4 MB"
    prev=-1
    for i in $((last - 2)) $((last - 1)) $last; do
        f=$work/out.$i
        [ -f "$f" ] || fail "out.$i missing"
        [ "$(stat -c %s "$f")" -le 1048576 ] || fail "out.$i is $(stat -c %s "$f") bytes"
        [ "$(tail -c1 "$f" | od -An -c | tr -d ' ')" = '\n' ] || fail "out.$i ends inside a line"
        first=$(head -1 "$f" | awk '{print $2 + 0}')
        [ $prev -lt 0 ] || [ "$first" -eq $((prev + 1)) ] || fail "gap before out.$i: $prev then $first"
        awk -v start="$first" '$2 + 0 != start + NR - 1 { exit 1 }' "$f" || fail "out.$i has a gap"
        prev=$(tail -1 "$f" | awk '{print $2 + 0}')
    done
    [ "$prev" = 39999 ] || fail "the last line is $prev"
    echo "rotation: files out.$((last - 2))..out.$last kept of $((last + 1)), lines continuous to 39999"
    # switch_file() every 1,000 lines (time-based rotation from a script): exactly those
    # lines per file, the last three files kept.
    "$ktap" -o "$work/sw" -S 100,3 -e 'global n probe timer.ms(1) { for (i = 0; i < 100; i++) printf("line %d\n", n++) if (n % 1000 == 0) switch_file() if (n >= 5000) exit() }' ||
        fail "switch_file run"
    [ "$(ls "$work" | grep -c '^sw\.')" = 3 ] || fail "switch_file kept: $(ls "$work" | grep '^sw')"
    for i in 3 4; do
        [ "$(wc -l < "$work/sw.$i")" = 1000 ] && [ "$(head -1 "$work/sw.$i")" = "line ${i}000" ] ||
            fail "sw.$i: $(wc -l < "$work/sw.$i") lines from $(head -1 "$work/sw.$i")"
    done
    [ -f "$work/sw.5" ] && [ ! -s "$work/sw.5" ] || fail "sw.5 should be the empty file after the last switch"
    echo "switch_file: sw.3 and sw.4 hold lines 3000-4999, 1,000 each"
    ;;
kill9)
    # kill -9 of ktap: every line written before is whole and in order, text and JSON.
    for fmt in text json; do
        "$ktap" -f $fmt -o "$work/k.$fmt" -e 'global n probe timer.ms(1) { printf("line %d\n", ++n) }' &
        pid=$!
        sleep 2
        kill -9 $pid
        wait $pid 2> /dev/null
        $py - "$work/k.$fmt" $fmt <<'PY' || fail "$fmt output after kill -9"
import json, sys
path, fmt = sys.argv[1], sys.argv[2]
raw = open(path, 'rb').read()
assert raw.endswith(b'\n'), 'ends inside a line'
lines = raw.decode().splitlines()
if fmt == 'json':
    lines = [json.loads(l)['data'].rstrip('\n') for l in lines]
numbers = [int(l.split()[1]) for l in lines]
assert numbers == list(range(1, len(numbers) + 1)), 'lines missing or out of order'
assert len(numbers) > 10, f'only {len(numbers)} lines'
print(f'{fmt}: {len(numbers)} whole lines before kill -9')
PY
    done
    ;;
slow-reader)
    # ktap writes into a pipe nobody reads while the target calls step() millions of times: the
    # target is not held (it ends when asked), records that did not fit are dropped and counted,
    # and lines written + records dropped = hits, exactly.
    prog=$bins/tests/target/hotloop-$variant
    mkfifo "$work/in" "$work/out"
    "$prog" 2 < "$work/in" > "$work/target.out" &
    tpid=$!
    exec 7> "$work/in"
    for _ in $(seq 100); do grep -q ready "$work/target.out" && break; sleep 0.05; done
    exec 8<> "$work/out"  # holds the pipe open without reading it: ktap's writes fill it
    "$ktap" -v -f json -D KTAP_RING_BYTES=65536 -x $tpid -e 'global n probe process("'"$prog"'").function("step") { n++ printf("step %d\n", $i) } probe end { printf("hits %d\n", n) }' > "$work/out" 2> "$work/ktap.err" 7>&- 8>&- &
    kpid=$!
    # The probe is armed (however long attaching takes on a loaded machine), then runs 2 s.
    for _ in $(seq 600); do grep -q "Pass 5: armed" "$work/ktap.err" && break; sleep 0.05; done
    grep -q "Pass 5: armed" "$work/ktap.err" || fail "ktap did not arm: $(cat "$work/ktap.err")"
    sleep 2
    start=$(date +%s%N)
    exec 7>&-  # the target's stdin ends: it stops and exits, with ktap's pipe still unread
    wait $tpid || fail "the target failed"
    stopped_ms=$(( ($(date +%s%N) - start) / 1000000 ))
    grep -q "rounds=.* ok" "$work/target.out" || fail "target: $(cat "$work/target.out")"
    cat "$work/out" > "$work/events" 8>&- &
    cpid=$!
    wait $kpid || fail "ktap: $(cat "$work/ktap.err")"
    exec 8>&-
    wait $cpid
    [ $stopped_ms -lt 2000 ] || fail "the target took $stopped_ms ms to stop"
    $tool validate "$schema" "$work/events" || fail "schema"
    $py - "$work/events" <<'PY' || fail "accounting"
import json, sys
events = [json.loads(l) for l in open(sys.argv[1])]
lines = [e['data'] for e in events if e['type'] == 'output']
steps = sum(1 for l in lines if l.startswith('step '))
hits = int([l for l in lines if l.startswith('hits ')][0].split()[1])
end = events[-1]
assert end['type'] == 'end' and end['dropped_records'] > 0, end
assert steps + end['dropped_records'] == hits, (steps, end['dropped_records'], hits)
print(f'{hits} hits = {steps} lines written + {end["dropped_records"]} records dropped')
PY
    echo "slow-reader: the target stopped $stopped_ms ms after it was asked"
    ;;
metrics)
    # Counts and a histogram of work()'s return values (negative ones too) as metrics files,
    # rewritten every 20 ms while a reader parses each one; the final file holds the exact
    # counts. OpenMetrics by Prometheus's OpenMetrics parser, the text format by its text parser
    # (and promtool when it is installed).
    prog=$bins/tests/target/counts-$variant
    script='global calls, rets probe process.function("work").return { calls[ppfunc(), tid() > 0] ++ rets <<< $return } probe end { print(@hist_linear(rets, -4, 14, 2)) }'
    for fmt in openmetrics prometheus; do
        m=$work/metrics.$fmt
        "$ktap" --metrics "$m" --metrics-interval 0.02 --metrics-format $fmt --metric calls:counter:function,threaded \
            --metric rets -c "$prog 2 2000000" -e "$script" > "$work/run.$fmt" 2> "$work/err.$fmt" &
        kpid=$!
        reads=0
        while kill -0 $kpid 2> /dev/null; do
            if [ -f "$m" ]; then
                # Quick reads in between: an OpenMetrics file read whole always ends in # EOF.
                for _ in $(seq 20); do
                    [ $fmt = prometheus ] || [ "$(tail -n1 "$m")" = "# EOF" ] || fail "a torn file: $(cat "$m")"
                    reads=$((reads + 1))
                done
                cp "$m" "$work/snap" && $py "$src/tests/output/check_metrics.py" $fmt "$work/snap" > /dev/null ||
                    fail "$fmt: a file read while ktap wrote it does not parse: $(cat "$work/snap")"
                reads=$((reads + 1))
            fi
            sleep 0.01
        done
        wait $kpid || fail "$fmt: $(cat "$work/err.$fmt")"
        calls=$(grep work_calls= "$work/run.$fmt" | cut -d= -f2)
        $py "$src/tests/output/check_metrics.py" $fmt "$m" "$calls" || fail "$fmt: final file: $(cat "$m")"
        if command -v promtool > /dev/null && [ $fmt = prometheus ]; then
            promtool check metrics < "$m" || fail "promtool"
        fi
        echo "metrics $fmt: read $reads times while ktap rewrote it, every read whole"
    done
    ;;
listing)
    prog=$bins/tests/target/counts-$variant
    for opt in -l -L; do
        "$ktap" $opt "process(\"$prog\").function(\"*\")" > "$work/list.txt" || fail "$opt text"
        "$ktap" -f json $opt "process(\"$prog\").function(\"*\")" > "$work/list.json" || fail "$opt json"
        $tool validate "$schema" "$work/list.json" > /dev/null || fail "$opt schema"
        $py - "$work/list.json" > "$work/list.fromjson" <<'PY'
import json, sys
for line in open(sys.argv[1]):
    e = json.loads(line)
    print(e['name'] + ''.join(f" {v['name']}:{v['type']}" for v in e.get('variables', [])))
PY
        diff "$work/list.txt" "$work/list.fromjson" || fail "$opt: JSON and text list differ"
        grep -q 'function("work@.*counts.c:[0-9]*")' "$work/list.txt" || fail "$opt: no work()"
        echo "listing $opt: $(wc -l < "$work/list.txt") probe points, the same in JSON"
    done
    grep -q '"name":"\$i","type":"int"' "$work/list.json" || fail "-L: work's \$i is missing"
    ;;
timing)
    # -t as probe_hits events: hits equal the program's own count; the text form is unchanged.
    prog=$bins/tests/target/counts-$variant
    "$ktap" -t -f json -c "$prog 2 5000 > $work/counts.out" -e "probe process(\"$prog\").function(\"work\").return { } probe timer.profile { }" > "$work/t.json" 2> "$work/t.err" ||
        fail "run: $(cat "$work/t.err")"
    $tool validate "$schema" "$work/t.json" || fail "schema"
    calls=$(grep work_calls= "$work/counts.out" | cut -d= -f2)
    $py - "$work/t.json" "$calls" <<'PY' || fail "hits"
import json, sys
hits = [json.loads(l) for l in open(sys.argv[1]) if '"probe_hits"' in l]
work = [h for h in hits if h['probe'].endswith('.return')][0]
assert work['hits'] == work['entries'] == work['handled'] == int(sys.argv[2]), work
assert 'sampling' in [h for h in hits if h['probe'] == 'timer.profile'][0]
print(f"-t: {work['hits']} hits of work, as the program counted")
PY
    "$ktap" -t -c "$prog 1 10 > /dev/null" -e "probe process(\"$prog\").function(\"work\") { }" 2> "$work/t.txt" > /dev/null || fail "text"
    grep -q '^----- probe hit report:$' "$work/t.txt" && grep -q 'hits: 10, sites: 1 armed of 1' "$work/t.txt" ||
        fail "text -t: $(cat "$work/t.txt")"
    ;;
probe-types)
    # Every form --dump-probe-types lists is one ktap accepts (parameters filled in).
    "$ktap" --dump-probe-types > "$work/types.txt" || fail "dump"
    "$ktap" -f json --dump-probe-types > "$work/types.json" || fail "dump json"
    $tool validate "$schema" "$work/types.json" > /dev/null || fail "schema"
    [ "$(wc -l < "$work/types.txt")" = "$(wc -l < "$work/types.json")" ] || fail "json count"
    n=0
    while read -r t; do
        pp=$(echo "$t" | sed -E 's/perf.type\(number\).config\(number\)/perf.type(1).config(0)/; s/process\(string\)/process("\/bin\/true")/; s/\(string\)/("main")/g; s/\(number\)/(10000)/g')
        "$ktap" -p2 -e "probe $pp { }" > /dev/null 2> "$work/pp.err" || fail "'$pp': $(cat "$work/pp.err")"
        n=$((n + 1))
    done < "$work/types.txt"
    echo "probe-types: all $n forms elaborate"
    ;;
*)
    echo "unknown case $case"
    exit 2
    ;;
esac
