#!/usr/bin/env python3
"""Names the functions of a callgrind profile of the Native AOT gateway.

valgrind cannot read the DWARF 5 of the .dbg file, and it sees the executable's managed code section as an
unnamed object ("???") at its load address. This rewrites every unnamed function to its symbol from the
executable's symbol table (nm on the .dbg file), so callgrind_annotate can print inclusive costs by name.

  callgrind-native-names.py PROFILE EXECUTABLE.dbg > NAMED_PROFILE
"""
import bisect
import re
import subprocess
import sys

profile, debug_file = sys.argv[1], sys.argv[2]
symbols = []
for line in subprocess.run(["nm", "--defined-only", debug_file], capture_output=True, text=True, check=True).stdout.splitlines():
    parts = line.split(" ", 2)
    if len(parts) == 3 and parts[1] in "tTwW":
        symbols.append((int(parts[0], 16), parts[2]))
symbols.sort()
starts = [address for address, _ in symbols]
name_at_start = dict(symbols)

lines = open(profile, encoding="utf-8", errors="replace").read().splitlines()
ADDRESS = re.compile(r"^(c?fn=\(\d+\) )0x([0-9a-f]+)(.*)$")

# The unnamed object's addresses are absolute: find the load base under which function entries land exactly
# on symbol starts (valgrind maps a position-independent main executable at a fixed base).
unnamed = [int(m.group(2), 16) for m in map(ADDRESS.match, lines) if m]
def exact_hits(base: int) -> int:
    return sum(1 for address in unnamed if (address - base) in name_at_start)
base = max((0, 0x108000, 0x400000, 0x4000000, 0x5555_5555_4000), key=exact_hits)

def name(address: int) -> str:
    index = bisect.bisect_right(starts, address) - 1
    if index < 0:
        return hex(address)
    start, symbol = symbols[index]
    return symbol if start == address else f"{symbol}+{address - start:#x}"

object_names = {}
current_object = called_object = ""
for line in lines:
    if line.startswith(("ob=", "cob=")):
        key, _, rest = line.partition("=")
        match = re.match(r"\((\d+)\)\s*(.*)", rest)
        if match:
            if match.group(2):
                object_names[match.group(1)] = match.group(2)
            value = object_names.get(match.group(1), "")
        else:
            value = rest
        if key == "ob":
            current_object = called_object = value
        else:
            called_object = value
    # A cob= line names the object of the next call only.
    if line.startswith(("fn=", "calls=")):
        if line.startswith("calls="):
            print(line)
            called_object = current_object
            continue
        called_object = current_object
    match = ADDRESS.match(line)
    if match:
        owner = called_object if line.startswith("cfn=") else current_object
        # Functions in the named executable object are already relative to it; the unnamed ones are absolute.
        offset = base if owner in ("???", "") else 0
        line = f"{match.group(1)}{name(int(match.group(2), 16) - offset)}{match.group(3)}"
    print(line)
