using System.Diagnostics;
using System.Globalization;
using Glassbox.Gateway;
using Glassbox.Gateway.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Glassbox.Bench.LogPath;

/// <summary>
/// Cost of the per-call log line through the gateway's own logging set-up (console and the OTLP log record),
/// on the calling thread (what a request pays) and for the whole process (the console writer included).
/// Usage: dotnet run -c Release --project bench/LogPath -- [calls=200000] [export=on|off] &gt;/dev/null
/// (the log lines go to stdout; the figures go to stderr). With export on, OTLP points at a closed loopback port:
/// the records are built and batched as usual, the sends fail. Caller cost is the calling thread's CPU time, which a
/// busy shared machine disturbs less than wall time.
/// </summary>
public static partial class Program
{
    public static async Task<int> Main(string[] args)
    {
        var calls = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 200_000;
        var export = args.Length <= 1 || args[1] != "off";
        await using var gateway = GatewayApp.Build(["--urls", "http://127.0.0.1:0"], b =>
        {
            if (export)
            {
                b.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:9";
            }
        });
        await gateway.StartAsync();
        var logger = gateway.Services.GetRequiredService<ILoggerFactory>().CreateLogger<CallTelemetry>();

        Run(logger, calls / 10);
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var cpuBefore = process.TotalProcessorTime;
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var threadBefore = ThreadCpuSeconds();
        Run(logger, calls);
        var callerSeconds = ThreadCpuSeconds() - threadBefore;
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        await gateway.StopAsync();
        await gateway.DisposeAsync(); // the console writer drains its queue here
        process.Refresh();
        var cpuSeconds = (process.TotalProcessorTime - cpuBefore).TotalSeconds;

        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"calls {calls}, export {(export ? "on" : "off")}: caller CPU {callerSeconds * 1e9 / calls:F0} ns/line, {allocated / (double)calls:F0} B/line allocated on the caller; process CPU {cpuSeconds * 1e9 / calls:F0} ns/line (until every line was written)"));
        return 0;
    }

    private static double ThreadCpuSeconds()
    {
        const int ClockThreadCpuTime = 3;
        return clock_gettime(ClockThreadCpuTime, out var now) == 0 ? now.Seconds + (now.Nanoseconds / 1e9) : throw new InvalidOperationException("clock_gettime failed");
    }

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int clock_gettime(int clock, out TimeSpec time);

    private readonly record struct TimeSpec(long Seconds, long Nanoseconds);

    private static void Run(ILogger logger, int calls)
    {
        for (var i = 0; i < calls; i++)
        {
            GatewayLog.AiCallCompleted(logger, "/v1/messages", "anthropic", "claude-sonnet-4-5", 200, 1234.5, 321.25, 1200 + i, 345, "completed", "0eb86a8efad8561cebc538019346c9ac");
        }
    }
}
