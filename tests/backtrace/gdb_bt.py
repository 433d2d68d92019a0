# gdb side of the backtrace tests, loaded by gdb_bt.sh (gdb -batch -nx -x gdb_bt.py --args
# PROG ARGS...). Breaks at the first instruction of bt_leaf (`break *bt_leaf`: the state a
# function-entry probe sees), runs the program and, for each hit (at most BT_GDB_HITS, default
# 3; the hits of every thread count), appends one line to the file BT_GDB_OUT: the function
# names of the hitting thread's stack from the newest frame (bt_leaf) to the oldest, separated
# by ';' (folded-stack form). Then kills the program.
#
# Frames: NORMAL and SIGTRAMP frames are kept, INLINE and TAILCALL frames dropped (a return
# address identifies only the real, out-of-line function). A SIGTRAMP frame is printed as
# "<signal handler called>", as gdb's bt prints it. A name is gdb's frame.name() without a
# trailing parameter list (C++: "Widget::run", not "Widget::run(int)"); a frame without a name
# is "??". `set backtrace past-main off` ends the main thread's stack at main; other threads end
# where the unwinder stops (the libc thread start: start_thread, clone3 or clone).
#
# ELF names (BT_GDB_ALIASES): gdb names a frame from DWARF when it can (libc6-dbg gives
# "__GI_raise", "__GI___qsort_r"), a symbol table reader may pick another name of the same code
# ("raise", "qsort_r"). For each hit the file BT_GDB_ALIASES gets a line of the same frames,
# each frame being gdb's name followed by '|' and every ELF name of the function that contains
# the frame's address (the file's .symtab/.dynsym and its /usr/lib/debug/.build-id/ file's
# .symtab; sized FUNC symbols, @version and [clone ...]/.part.N/.cold suffixes dropped, C++
# demangled without parameters). The address looked up is the pc for the newest frame and for
# a frame interrupted by a signal, pc - 1 (inside the call) for the other frames.
#
# Environment: BT_GDB_OUT (required) the output file; BT_GDB_HITS the number of hits (default 3);
# BT_GDB_ALIASES the alias file (optional); BT_GDB_VERBOSE=1 also writes each frame's level,
# type, pc, file and ELF names to stderr.
import os
import re
import subprocess
import sys

import gdb

out_path = os.environ["BT_GDB_OUT"]
alias_path = os.environ.get("BT_GDB_ALIASES", "")
max_hits = int(os.environ.get("BT_GDB_HITS", "3"))
verbose = os.environ.get("BT_GDB_VERBOSE", "0") == "1"

KEEP = {gdb.NORMAL_FRAME: "normal", gdb.SIGTRAMP_FRAME: "sigtramp"}
DROP = {gdb.INLINE_FRAME: "inline", gdb.TAILCALL_FRAME: "tailcall"}
SIGNAL_TOKEN = "<signal handler called>"


def strip_params(name):
    """'ns::f<void (*)(int)>(int) const' -> 'ns::f<void (*)(int)>': drop the trailing
    balanced (...) and any cv/ref qualifiers after it; 'X::operator()' stays as it is (gdb's
    frame.name() has already dropped the parameters)."""
    s = name.strip()
    for q in (" const", " volatile", " &&", " &", " noexcept"):
        while s.endswith(q):
            s = s[: -len(q)]
    if not s.endswith(")"):
        return s
    depth = 0
    for i in range(len(s) - 1, -1, -1):
        c = s[i]
        if c == ")":
            depth += 1
        elif c == "(":
            depth -= 1
            if depth == 0:
                head = s[:i]
                # "(anonymous namespace)" alone, or the "()" of "operator()", is not a
                # parameter list
                if not head or head.endswith("operator"):
                    return s
                return head
    return s


CLONE_SUFFIX = re.compile(r"(\.(part|cold|constprop|isra|lto_priv|localalias|clone)(\.\d+)?)+$")


def elf_name(raw):
    """A readelf -C symbol name as a frame name: no @version, no clone suffix, no parameters."""
    n = raw.split("@", 1)[0].strip()
    while n.endswith("]") and " [clone " in n:
        n = n[: n.rindex(" [clone ")]
    n = CLONE_SUFFIX.sub("", n)
    return strip_params(n)


def readelf(args, path):
    try:
        r = subprocess.run(["readelf", "-W"] + args + [path], capture_output=True, text=True)
        return r.stdout
    except OSError:
        return ""


# path -> (loads [(offset, vaddr, filesz)], symbols [(value, size, name)])
elf_cache = {}


def elf_info(path):
    if path in elf_cache:
        return elf_cache[path]
    loads = []
    for line in readelf(["-l"], path).splitlines():
        w = line.split()
        if len(w) >= 6 and w[0] == "LOAD":
            loads.append((int(w[1], 16), int(w[2], 16), int(w[4], 16)))
    files = [path]
    m = re.search(r"Build ID: ([0-9a-f]+)", readelf(["-n"], path))
    if m and len(m.group(1)) > 2:
        debug = "/usr/lib/debug/.build-id/%s/%s.debug" % (m.group(1)[:2], m.group(1)[2:])
        if os.path.exists(debug):
            files.append(debug)
    syms = set()
    for f in files:
        for line in readelf(["-s", "-C"], f).splitlines():
            w = line.split(None, 7)
            if len(w) < 8 or w[3] != "FUNC" or w[6] in ("UND", "ABS"):
                continue
            try:
                value, size = int(w[1], 16), int(w[2], 0)
            except ValueError:
                continue
            if size > 0:
                syms.add((value, size, elf_name(w[7])))
    elf_cache[path] = (loads, sorted(syms))
    return elf_cache[path]


def read_maps(pid):
    maps = []
    try:
        with open("/proc/%d/maps" % pid) as f:
            for line in f:
                w = line.split(None, 5)
                if len(w) < 6 or not w[5].startswith("/"):
                    continue
                lo, hi = (int(x, 16) for x in w[0].split("-"))
                maps.append((lo, hi, int(w[2], 16), w[5].strip()))
    except OSError:
        pass
    return maps


def elf_names(maps, addr):
    """(file, link-time address, [ELF names of the function containing it])."""
    for lo, hi, off, path in maps:
        if lo <= addr < hi:
            file_off = addr - lo + off
            loads, syms = elf_info(path)
            for p_off, p_vaddr, p_filesz in loads:
                if p_off <= file_off < p_off + p_filesz:
                    v = file_off - p_off + p_vaddr
                    names = []
                    for value, size, name in syms:
                        if value <= v < value + size and name not in names:
                            names.append(name)
                    return path, v, names
            return path, None, []
    return None, None, []


def frame_name(f):
    if f.type() == gdb.SIGTRAMP_FRAME:
        return SIGNAL_TOKEN
    n = f.name()
    if not n:
        return "??"
    return strip_params(n)


def stack():
    """(names, alternatives): the folded stack and, per frame, gdb's name then the ELF names."""
    maps = read_maps(gdb.selected_inferior().pid)
    names, alts = [], []
    f = gdb.newest_frame()
    caller = False  # the newer kept frame is a NORMAL one: this frame's pc is a return address
    while f is not None:
        t = f.type()
        if t in KEEP:
            name = frame_name(f)
            pc = f.pc()
            look = pc - 1 if caller and t == gdb.NORMAL_FRAME else pc
            path, v, elf = elf_names(maps, look)
            names.append(name)
            alts.append([name] + [e for e in elf if e != name])
            caller = t == gdb.NORMAL_FRAME
            if verbose:
                sys.stderr.write("  #%-3d %-8s pc=%#x %s %s%s elf=%s\n" % (
                    f.level(), KEEP[t], pc, name, os.path.basename(path) if path else "[no file]",
                    "@%#x" % v if v is not None else "", elf))
        elif t in DROP:
            if verbose:
                sys.stderr.write("  #%-3d %-8s (dropped) %s\n" % (f.level(), DROP[t], f.name()))
        else:
            names.append("<frame type %d>" % t)
            alts.append([names[-1]])
        try:
            f = f.older()
        except gdb.error as e:
            names.append("<unwind error: %s>" % e)
            alts.append([names[-1]])
            break
    return ";".join(names), ";".join("|".join(a) for a in alts)


stopped_at_bp = False


def on_stop(ev):
    global stopped_at_bp
    stopped_at_bp = isinstance(ev, gdb.BreakpointEvent) and bp in ev.breakpoints


for cmd in (
    "set pagination off",
    "set confirm off",
    "set width 0",
    "set height 0",
    "set startup-with-shell off",
    "set debuginfod enabled off",
    "set auto-load python-scripts off",
    "set backtrace past-main off",
    "set backtrace past-entry off",
    "set print thread-events off",
    "set print inferior-events off",
    "handle SIGUSR1 nostop noprint pass",
):
    gdb.execute(cmd)

bp = gdb.Breakpoint("*bt_leaf")
gdb.events.stop.connect(on_stop)

lines, alias_lines = [], []
status = 0
try:
    gdb.execute("run", to_string=True)
    while gdb.selected_inferior().pid != 0:
        if not stopped_at_bp:
            sys.stderr.write("gdb_bt: stopped, not at bt_leaf\n")
            status = 1
            break
        line, alias_line = stack()
        if verbose:
            sys.stderr.write("hit %d thread %d: %s\n" % (len(lines) + 1, gdb.selected_thread().num, line))
        lines.append(line)
        alias_lines.append(alias_line)
        if len(lines) >= max_hits:
            break
        stopped_at_bp = False
        gdb.execute("continue", to_string=True)
except gdb.error as e:
    sys.stderr.write("gdb_bt: %s\n" % e)
    status = 1

if gdb.selected_inferior().pid != 0:
    gdb.execute("kill")
with open(out_path, "w") as out:
    out.writelines(line + "\n" for line in lines)
if alias_path:
    with open(alias_path, "w") as out:
        out.writelines(line + "\n" for line in alias_lines)
if not lines:
    sys.stderr.write("gdb_bt: bt_leaf was never hit\n")
    status = 1
gdb.execute("quit %d" % status)
