#!/usr/bin/python3
"""Checks ktap -f json output (tests/output).

  ktap_json.py validate SCHEMA FILE   every line one JSON object matching the schema
  ktap_json.py text FILE              the events as SystemTap text, histograms as HIST lines
  ktap_json.py normalize FILE         SystemTap text with each histogram as the same HIST line

The two last forms of one script's run must be equal: the JSON carries the same numbers as the
text. A HIST line lists "label:count" for every bucket that holds data, with the labels stap
prints ("<lo" and ">hi" for linear under- and overflow).
"""
import base64
import json
import re
import sys


def validate(schema_path, path):
    import jsonschema
    schema = json.load(open(schema_path))
    validator = jsonschema.Draft202012Validator(schema)
    counts = {}
    with open(path, 'rb') as f:
        for n, raw in enumerate(f, 1):
            if not raw.endswith(b'\n'):
                sys.exit(f'{path}:{n}: a line without its newline')
            event = json.loads(raw.decode('utf-8'))  # also proves the line is UTF-8
            errors = sorted(validator.iter_errors(event), key=str)
            if errors:
                sys.exit(f'{path}:{n}: {raw!r} does not match the schema: {errors[0].message}')
            for key, value in event.items():
                if key.endswith('_base64'):
                    base64.b64decode(value, validate=True)
            counts[event['type']] = counts.get(event['type'], 0) + 1
    print(' '.join(f'{k}={v}' for k, v in sorted(counts.items())))


def hist_label(event, bucket):
    lo, hi = bucket['min'], bucket['max']
    if event['kind'] == 'log':
        return str(lo if lo >= 0 else hi)
    if lo is None:
        return f"<{event['low']}"
    if hi is None:
        return f'>{lo - event["width"]}'
    return str(lo)


def stap_value(v):
    if isinstance(v, dict):
        if v['count'] == 0:
            return ' @count=0x0'
        return ' @count=%d @min=%d @max=%d @sum=%d @avg=%d' % (
            v['count'], v['min'], v['max'], v['sum'], v['avg'])
    if isinstance(v, str):
        return '="%s"' % v
    return '=%d' % v


def stap_key(k):
    return '"%s"' % k if isinstance(k, str) else str(k)


def text(path):
    out = []
    for raw in open(path, 'rb'):
        e = json.loads(raw)
        t = e['type']
        if t == 'output':
            data = e.get('data_base64')
            out.append(base64.b64decode(data).decode('utf-8', 'replace') if data else e['data'])
        elif t == 'hist':
            out.append('HIST ' + ' '.join(
                f'{hist_label(e, b)}:{b["count"]}' for b in e['buckets']) + '\n')
        elif t == 'global':
            if 'value' in e:
                out.append(e['name'] + stap_value(e['value']) + '\n')
            else:
                for entry in e['entries']:
                    out.append('%s[%s]%s\n' % (e['name'], ','.join(map(stap_key, entry['key'])),
                                               stap_value(entry['value'])))
    sys.stdout.write(''.join(out))


ROW = re.compile(r'^ *([<>]?-?\d+) \|[@ ]*?(\d+)$')


def normalize(path):
    lines = open(path, encoding='utf-8', errors='replace').read().split('\n')
    out, i = [], 0
    while i < len(lines):
        if re.match(r'^ *value \|-+ count$', lines[i]):
            rows, i = [], i + 1
            while i < len(lines) and lines[i] != '':
                m = ROW.match(lines[i])
                if m and int(m.group(2)):
                    rows.append(f'{m.group(1)}:{m.group(2)}')
                elif not m and lines[i].strip() != '~':
                    sys.exit(f'{path}: unexpected histogram row {lines[i]!r}')
                i += 1
            out.append('HIST ' + ' '.join(rows))
            i += 1  # the blank line that ends a histogram
            continue
        out.append(lines[i])
        i += 1
    sys.stdout.write('\n'.join(out))


if __name__ == '__main__':
    cmd = sys.argv[1]
    if cmd == 'validate':
        validate(sys.argv[2], sys.argv[3])
    elif cmd == 'text':
        text(sys.argv[2])
    elif cmd == 'normalize':
        normalize(sys.argv[2])
    else:
        sys.exit(__doc__)
