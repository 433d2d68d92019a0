#!/usr/bin/env bash
# Writes a generated SystemTap script of about N lines (default 5000) to stdout: globals,
# functions calling each other, probes with loops, arrays, statistics and printf, plus uses of
# every tapset function so the tapsets are pulled in too.
set -euo pipefail
lines=${1:-5000}
blocks=$(( (lines - 8) / 21 ))
echo "global counts, totals, names, lat"
for ((i = 0; i < blocks; i++)); do
cat <<STP
function helper_$i:long (x:long, tag:string) {
    total = 0
    for (j = 0; j < x; j++) {
        if (j % 3 == 0) total += j * $i
        else if (j % 3 == 1) total -= j
        else total = total ^ (j << 1)
    }
    names[tag, $i] = sprintf("%s-%d", tag, total)
    return total + strlen(tag)
}
probe timer.ms($(( i + 1 ))) {
    v = helper_$i($i % 17, "p$i")
    counts["t$i"]++
    totals[$i] += v
    lat <<< v
    foreach ([t, n] in names- limit 2)
        if (n == $i) printf("%s %d %s\n", t, n, names[t, n])
    s = (v > 10) ? "big" : "small"
    if (s == "big" && [$i] in totals) delete totals[$i]
    try { x = v / (counts["t$i"] - 1) } catch (msg) { warn(msg) }
}
STP
done
cat <<'STP'
probe end {
    foreach (k in counts+) printf("%s=%d\n", k, counts[k])
    if (@count(lat)) print(@hist_log(lat))
    printf("%s %s\n", thread_indent(0), indent(0))
    ansi_reset_color()
}
STP
