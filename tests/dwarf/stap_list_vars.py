#!/usr/bin/env python3
"""What `stap -L 'process("PROG").function("GLOB")[.return]'` prints for PROG, computed from
`readelf --debug-dump=info` with stap's rules (docs/stap-target-formats.md §1-§3):

  * one line per concrete function (DW_TAG_subprogram with DW_AT_low_pc) whose DW_AT_name
    matches GLOB: process("PROG").function("NAME@FILE:LINE")[.return], lines sorted as text;
  * then " $return:TYPE" (.return, non-void only) and " $NAME:TYPE" for each
    DW_TAG_formal_parameter / DW_TAG_variable child of the function's DIE in DIE order
    (nested lexical blocks are not scopes at the entry address);
  * TYPE spelled as dwarf_wrappers.cxx dwarf_type_name() does ("char const*", "int[]",
    "struct point*", "int (*) (int, char*)", typedef names kept).

This is the oracle for tests/dwarf/golden/: an independent reading of the DWARF, not ktap.
Usage: stap_list_vars.py PROG GLOB [return]
"""
import fnmatch
import os
import re
import subprocess
import sys

DIE_RE = re.compile(r'^\s*<(\d+)><([0-9a-f]+)>: Abbrev Number: (\d+)(?: \((\w+)\))?')
ATTR_RE = re.compile(r'^\s*<[0-9a-f]+>\s+(DW_AT_\w+)\s*:\s?(.*)$')


class Die:
    def __init__(self, off, tag, depth):
        self.off, self.tag, self.depth = off, tag, depth
        self.attrs, self.children, self.parent = {}, [], None

    def name(self):
        v = self.attrs.get('DW_AT_name')
        if v is None:
            return None
        m = re.match(r'^\(indirect (?:line )?string, offset: (?:0x)?[0-9a-f]+\): (.*)$', v)
        return m.group(1) if m else v.strip()

    def ref(self, attr):
        v = self.attrs.get(attr)
        if v is None:
            return None
        m = re.match(r'^<0x([0-9a-f]+)>', v.strip())
        return int(m.group(1), 16) if m else None


def parse(prog):
    out = subprocess.run(['readelf', '--debug-dump=info', prog], check=True,
                         capture_output=True, text=True).stdout
    dies, cus, stack, cur = {}, [], [], None
    for line in out.splitlines():
        m = DIE_RE.match(line)
        if m:
            depth, off, abbrev, tag = int(m.group(1)), int(m.group(2), 16), int(m.group(3)), m.group(4)
            if abbrev == 0:
                cur = None
                continue
            d = Die(off, tag, depth)
            dies[off] = d
            while stack and stack[-1].depth >= depth:
                stack.pop()
            if stack:
                d.parent = stack[-1]
                stack[-1].children.append(d)
            else:
                cus.append(d)
            stack.append(d)
            cur = d
            continue
        m = ATTR_RE.match(line)
        if m and cur is not None:
            cur.attrs.setdefault(m.group(1), m.group(2))
    return dies, cus


def type_name(dies, die, out, sub):
    """dwarf_wrappers.cxx dwarf_type_name(die, ostream, subroutine)."""
    tag = die.tag
    done = True
    if tag == 'DW_TAG_enumeration_type':
        out.append('enum ')
    elif tag == 'DW_TAG_structure_type':
        out.append('struct ')
    elif tag == 'DW_TAG_union_type':
        out.append('union ')
    elif tag == 'DW_TAG_class_type':
        out.append('class ')
    elif tag in ('DW_TAG_typedef', 'DW_TAG_base_type'):
        pass
    elif tag in ('DW_TAG_reference_type', 'DW_TAG_rvalue_reference_type', 'DW_TAG_pointer_type',
                 'DW_TAG_array_type', 'DW_TAG_const_type', 'DW_TAG_volatile_type',
                 'DW_TAG_restrict_type'):
        done = False
    elif tag == 'DW_TAG_subroutine_type':
        sub.append(die)
        return True
    else:
        return False
    if done:
        out.append(die.name() or '{...}')
        return True
    r = die.ref('DW_AT_type')
    subdie = dies.get(r) if r is not None else None
    if (subdie is not None and tag == 'DW_TAG_pointer_type'
            and subdie.tag == 'DW_TAG_structure_type' and subdie.name() == '__va_list_tag'):
        out.append('va_list')
        return True
    if subdie is None or not type_name(dies, subdie, out, sub):
        out.append('void')
    suffix = {'DW_TAG_reference_type': '&', 'DW_TAG_rvalue_reference_type': '&&',
              'DW_TAG_pointer_type': '*', 'DW_TAG_array_type': '[]',
              'DW_TAG_volatile_type': ' volatile', 'DW_TAG_restrict_type': ' restrict'}
    if tag == 'DW_TAG_const_type':
        if subdie is None or subdie.tag not in ('DW_TAG_reference_type',
                                                'DW_TAG_rvalue_reference_type'):
            out.append(' const')
    else:
        out.append(suffix[tag])
    return True


def type_decl(dies, die):
    out, sub = [], []
    if not type_name(dies, die, out, sub):
        return None
    s = ''.join(out)
    if not sub:
        return s
    f = sub[0]
    r = f.ref('DW_AT_type')
    ret = 'void' if r is None else type_decl(dies, dies[r])
    if ret is None:
        return None
    params = []
    for c in f.children:
        if c.tag == 'DW_TAG_unspecified_parameters':
            params.append('...')
        elif c.tag == 'DW_TAG_formal_parameter':
            pr = c.ref('DW_AT_type')
            params.append('void' if pr is None else type_decl(dies, dies[pr]))
    if any(p is None for p in params):
        return None
    return '%s (%s) (%s)' % (ret, s, ', '.join(params) if params else 'void')


def main():
    prog, glob = sys.argv[1], sys.argv[2]
    ret = len(sys.argv) > 3 and sys.argv[3] == 'return'
    dies, cus = parse(prog)
    lines = []
    for cu in cus:
        cu_name = cu.name() or ''
        comp_dir = cu.attrs.get('DW_AT_comp_dir', '')
        m = re.match(r'^\(indirect (?:line )?string, offset: (?:0x)?[0-9a-f]+\): (.*)$', comp_dir)
        comp_dir = m.group(1) if m else comp_dir.strip()
        cu_file = cu_name if cu_name.startswith('/') else os.path.join(comp_dir, cu_name)
        for f in cu.children:
            if f.tag != 'DW_TAG_subprogram' or 'DW_AT_low_pc' not in f.attrs:
                continue
            name = f.name()
            if not name or not fnmatch.fnmatchcase(name, glob):
                continue
            line = int(f.attrs.get('DW_AT_decl_line', '0').strip(), 0)
            pp = 'process("%s").function("%s@%s:%d")%s' % (prog, name, cu_file, line,
                                                          '.return' if ret else '')
            args = []
            if ret:
                r = f.ref('DW_AT_type')
                if r is not None:
                    t = type_decl(dies, dies[r])
                    if t is not None:
                        args.append('$return:' + t)
            for c in f.children:
                if c.tag not in ('DW_TAG_formal_parameter', 'DW_TAG_variable'):
                    continue
                n = c.name()
                r = c.ref('DW_AT_type')
                if not n or r is None:
                    continue
                t = type_decl(dies, dies[r])
                if t is None:
                    continue
                a = '$%s:%s' % (n, t)
                if a not in args:
                    args.append(a)
            lines.append(pp + ''.join(' ' + a for a in args))
    for line in sorted(set(lines)):
        print(line)


if __name__ == '__main__':
    main()
