#!/usr/bin/env python3
"""Where a call's instructions go, from a named callgrind profile of the native gateway (bench/callcost.sh --native
--profile): the inclusive cost per call of the functions that start each part of the work, grouped, and what is left
(the proxying itself: Kestrel, YARP, HttpClient, sockets, the retry pipeline, async machinery).

  callgrind-breakdown.py PROFILE CALLS

Each group sums functions that do not call one another (checked: a group that includes another's function is
reported), so the groups add up. Collections run on whichever thread allocates when the budget is spent, so they are
counted once, as their own group, and not inside the work that happened to trigger them.
"""
import re
import subprocess
import sys

profile, calls = sys.argv[1], int(sys.argv[2])

GROUPS = [
    ("server span (ASP.NET Core activity)", [
        "HostingApplicationDiagnostics__StartActivity", "HostingApplicationDiagnostics__StopActivity"]),
    ("call span and read-request span, started", ["Telemetry_CallTelemetry__Start"]),
    ("attempt span: started; ended with its tags and phase spans", [
        "Resilience_AttemptTracker__BeginAttempt", "Resilience_AttemptTracker__EndAttempt"]),
    # CallTelemetry.Finish less its metrics and log record, which are groups of their own.
    ("call end: span tags, stream phase spans, price, span stopped", ["Telemetry_CallTelemetry__Finish"],
        ["Telemetry_CallTelemetry__RecordMetrics", "Telemetry_GatewayLog__AiCallCompleted", "Telemetry_GatewayLog__AiCallFailed"]),
    ("call end: gateway metrics", ["Telemetry_CallTelemetry__RecordMetrics"]),
    ("call end: the log record", [
        "Telemetry_GatewayLog__AiCallCompleted", "Telemetry_GatewayLog__AiCallFailed"]),
    ("ASP.NET Core, Kestrel and HttpClient metrics", [
        "HostingApplicationDiagnostics__RecordRequestStartMetrics", "HostingMetrics__RequestEnd",
        "Metrics_MetricsHandler__RequestStart", "Metrics_MetricsHandler__RequestStop",
        "HttpConnectionBase__MarkConnectionAsIdle", "HttpConnectionBase__MarkConnectionAsNotIdle",
        "MemoryPoolMetrics__UpdatePooledMemoryCore", "MemoryPoolMetrics__AddRentedMemoryCore",
        "MemoryPoolMetrics__AddEvictedMemoryCore"]),
    ("request: body buffered, dialect read, attribution, key", [
        "Forwarding_AiCallMiddleware__ReadBodyAsync", "Attribution_AttributionReader__Read",
        "Auth_InboundKeyLocations__Find", "Attribution_RemoveAttributionHeadersTransform__ApplyAsync"]),
    ("response: headers read (rate limits, server-timing), body observed", [
        # ObservingStream.Observe hands each chunk to the body observer (JSON or SSE); OnEnd parses a buffered body.
        "Forwarding_ObserveResponseTransform__Observe", "StreamObservation_Tee_ObservingStream__Observe",
        "StreamObservation_JsonBodyObserver__OnEnd", "StreamObservation_SseStreamObserver__OnEnd"]),
    ("OTLP span export (exporter thread)", ["OtlpTraceExporter__Export"]),
    ("OTLP log export (exporter thread)", ["OtlpLogExporter__Export"]),
    ("console log line (writer task)", ["Logging_ConsoleLogProcessor__WriteLines"]),
    ("garbage collection and clearing fresh allocation space", [
        "_ZN3WKS7gc_heap3gc1Ev", "_ZN3WKS7gc_heap16adjust_limit_clr"]),
]

annotated = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--threshold=100", profile],
                           capture_output=True, text=True, check=True).stdout
LINE = re.compile(r"^\s*([\d,]+) \([\s\d.]+%\)\s+(?:\S*?:)?(\S+)")
inclusive = {}
total = 0
for line in annotated.splitlines():
    match = LINE.match(line)
    if not match:
        continue
    cost, name = int(match.group(1).replace(",", "")), match.group(2)
    if name == "PROGRAM":
        total = cost
        continue
    if "'" in name:  # a recursion level of a function already counted
        continue
    inclusive[name] = inclusive.get(name, 0) + cost
# A function entered only past its symbol's start (its body folded into another symbol) is known by that symbol; where
# the symbol has an entry of its own the offset entry may be a part it calls, so it is left alone.
for name in [n for n in inclusive if re.search(r"\+0x[0-9a-f]+$", n)]:
    base = re.sub(r"\+0x[0-9a-f]+$", "", name)
    if base not in inclusive:
        inclusive[base] = inclusive.pop(name)

def matching(patterns):
    return [n for n in inclusive if any(n == p or n.endswith("_" + p) or (p.startswith("_ZN") and n.startswith(p)) for p in patterns)]

rows, counted, members, subtracted = [], 0, {}, set()
for label, patterns, *less in GROUPS:
    names = matching(patterns)
    members[label] = names
    excluded = matching(less[0] if less else [])
    subtracted.update((n, e) for n in names for e in excluded)
    cost = sum(inclusive[n] for n in names) - sum(inclusive[n] for n in excluded)
    rows.append((label, cost))
    counted += cost

print(f"| part of the call | instructions per call | share |")
print(f"|---|---:|---:|")
for label, cost in rows:
    print(f"| {label} | {cost // calls:,} | {100 * cost / total:.1f} % |")
print(f"| the rest: proxying (Kestrel, YARP, HttpClient, sockets), retry pipeline, async machinery | {(total - counted) // calls:,} | {100 * (total - counted) / total:.1f} % |")
print(f"| **total** | **{total // calls:,}** | |")

# Overlap check: a group's function that calls another group's function directly would be counted twice.
calling = subprocess.run(["callgrind_annotate", "--tree=calling", "--inclusive=yes", "--threshold=100", profile],
                         capture_output=True, text=True, check=True).stdout
owner = {n: label for label, names in members.items() for n in names}
current = None
for line in calling.splitlines():
    if "*  " in line:
        match = re.search(r"\*\s+(?:\S*?:)?(\S+)", line)
        current = match.group(1) if match else None
    elif "  > " in line and current in owner:
        match = re.search(r">\s+(?:\S*?:)?(\S+)", line)
        callee = match.group(1) if match else None
        if callee in owner and owner[callee] != owner[current] and (current, callee) not in subtracted:
            print(f"overlap: {current} ({owner[current]}) calls {callee} ({owner[callee]})", file=sys.stderr)
