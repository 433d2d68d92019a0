#!/usr/bin/python3
"""Parses a ktap metrics file with Prometheus's own Python parsers (python3-prometheus-client).

  check_metrics.py openmetrics|prometheus FILE [CALLS]

With CALLS, checks the values tests/output's metrics case expects: the counter calls of work()
and the histogram of its return values both count CALLS.
"""
import sys

fmt, path = sys.argv[1], sys.argv[2]
text = open(path).read()
if fmt == 'openmetrics':
    from prometheus_client.openmetrics.parser import text_string_to_metric_families
    assert text.endswith('# EOF\n'), 'no # EOF'
else:
    from prometheus_client.parser import text_string_to_metric_families
families = {f.name: f for f in text_string_to_metric_families(text)}
if len(sys.argv) > 3:
    calls = int(sys.argv[3])
    # The OpenMetrics parser names a counter family without _total, the text parser with it
    # stripped too (0.16): look for either.
    counter = families.get('calls') or families.get('calls_total')
    assert counter is not None and counter.type == 'counter', families.keys()
    values = {(s.labels['function'], s.labels['threaded']): s.value for s in counter.samples
              if s.name == 'calls_total'}
    assert values == {('work', '1'): calls}, values
    hist = families['rets']
    assert hist.type == 'histogram', hist.type
    inf = [s.value for s in hist.samples if s.name == 'rets_bucket' and s.labels['le'] == '+Inf']
    assert inf == [calls], inf
    buckets = [s for s in hist.samples if s.name == 'rets_bucket']
    assert any(float(s.labels['le']) < 0 for s in buckets[:-1]), 'no negative bucket'
    print(f'{path}: calls_total {values}, rets {len(buckets)} buckets, +Inf {inf[0]}')
