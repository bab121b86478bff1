#!/usr/bin/env python3
"""Self cost per function from a callgrind file, with JIT-compiled .NET code named from the runtime's perf map
(DOTNET_PerfMapEnabled=1 writes perf-PID.map into the temp directory): callgrind sees JIT code only as addresses.

usage: callgrind-jit-names.py CALLGRIND_FILE PERF_MAP [TOP] [CALLEE_SUBSTRING]
With CALLEE_SUBSTRING: the callers of the matching functions instead, with the inclusive cost of those calls.
"""
import bisect
import re
import sys
from collections import defaultdict


def read_perf_map(path):
    entries = []
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                parts = line.rstrip("\n").split(" ", 2)
                if len(parts) == 3:
                    entries.append((int(parts[0], 16), int(parts[1], 16), parts[2]))
    except OSError:
        pass
    entries.sort()
    return entries


def name_of(entries, starts, address):
    i = bisect.bisect_right(starts, address) - 1
    if i >= 0 and entries[i][0] <= address < entries[i][0] + entries[i][1]:
        return entries[i][2]
    return None


def main():
    cg, perf_map = sys.argv[1], sys.argv[2]
    top = int(sys.argv[3]) if len(sys.argv) > 3 else 40
    callee_filter = sys.argv[4] if len(sys.argv) > 4 else None
    call_cost = defaultdict(int)  # (caller, callee) -> inclusive cost
    current_cfn = None
    entries = read_perf_map(perf_map)
    starts = [e[0] for e in entries]
    names, objects = {}, {}
    self_cost = defaultdict(int)
    fn_obj = {}
    current_fn, current_ob, after_calls, total = None, None, False, 0
    compressed = re.compile(r"^\((\d+)\)(?: (.*))?$")

    def resolve(table, value):
        m = compressed.match(value)
        if not m:
            return value
        if m.group(2) is not None:
            table[m.group(1)] = m.group(2)
        return table.get(m.group(1), value)

    with open(cg, encoding="utf-8", errors="replace") as f:
        for line in f:
            if line.startswith("fn="):
                current_fn = resolve(names, line[3:].strip())
                fn_obj[current_fn] = current_ob
                after_calls = False
            elif line.startswith("ob="):
                current_ob = resolve(objects, line[3:].strip())
            elif line.startswith(("cfn=", "cob=", "cfi=", "cfl=")):
                if line.startswith("cfn="):
                    current_cfn = resolve(names, line[4:].strip())
                elif line.startswith("cob="):
                    resolve(objects, line[4:].strip())
            elif line.startswith("calls="):
                after_calls = True
            elif line[:1].isdigit() or line[:1] in "+-*":
                if after_calls:
                    after_calls = False
                    parts = line.split()
                    if len(parts) >= 2 and current_fn is not None:
                        call_cost[(current_fn, current_cfn)] += int(parts[1])
                    continue
                parts = line.split()
                if len(parts) >= 2 and current_fn is not None:
                    cost = int(parts[1])
                    self_cost[current_fn] += cost
                    total += cost

    def label_of(fn):
        if fn.startswith("0x"):
            found = name_of(entries, starts, int(fn.split("'")[0], 16))
            return found or f"{fn} [{(fn_obj.get(fn) or '???').rsplit('/', 1)[-1]}]"
        return f"{fn} [{(fn_obj.get(fn) or '???').rsplit('/', 1)[-1]}]"

    if callee_filter and callee_filter.startswith("incl:"):
        pattern = callee_filter[5:]
        inclusive = defaultdict(int)
        for fn, cost in self_cost.items():
            inclusive[label_of(fn)] += cost
        for (caller, callee), cost in call_cost.items():
            if caller != callee:
                inclusive[label_of(caller)] += cost
        hits = [(label, cost) for label, cost in inclusive.items() if re.search(pattern, label)]
        for label, cost in sorted(hits, key=lambda kv: -kv[1])[:top]:
            print(f"{cost:>14,} {100.0 * cost / max(total, 1):5.1f}%  {label}")
        return

    if callee_filter and callee_filter.startswith("callees:"):
        pattern = callee_filter[8:]
        callees = defaultdict(int)
        for (caller, callee), cost in call_cost.items():
            if re.search(pattern, label_of(caller)):
                callees[label_of(callee)] += cost
        own = sum(c for fn, c in self_cost.items() if re.search(pattern, label_of(fn)))
        print(f"{own:>14,}  (self)")
        for label, cost in sorted(callees.items(), key=lambda kv: -kv[1])[:top]:
            print(f"{cost:>14,}  {label}")
        return

    if callee_filter:
        callers = defaultdict(int)
        for (caller, callee), cost in call_cost.items():
            if callee_filter in label_of(callee) and callee_filter not in label_of(caller):
                callers[label_of(caller) + "  ->  " + label_of(callee)[:80]] += cost
        for label, cost in sorted(callers.items(), key=lambda kv: -kv[1])[:top]:
            print(f"{cost:>14,}  {label}")
        return

    by_name = defaultdict(int)
    for fn, cost in self_cost.items():
        label = fn
        if fn.startswith("0x"):
            address = int(fn.split("'")[0], 16)
            label = name_of(entries, starts, address) or f"{fn} [{(fn_obj.get(fn) or '???').rsplit('/', 1)[-1]}]"
        else:
            label = f"{fn} [{(fn_obj.get(fn) or '???').rsplit('/', 1)[-1]}]"
        by_name[label] += cost

    print(f"total self cost: {total:,} instructions")
    for label, cost in sorted(by_name.items(), key=lambda kv: -kv[1])[:top]:
        print(f"{cost:>14,} {100.0 * cost / max(total, 1):5.1f}%  {label}")


if __name__ == "__main__":
    main()
