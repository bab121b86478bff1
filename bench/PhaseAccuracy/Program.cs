using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Glassbox.Gateway;
using Glassbox.SimulatedUpstream;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Glassbox.Bench.PhaseAccuracy;

/// <summary>
/// How closely the gateway's phase spans match delays the simulated upstream is told to make.
/// Usage: dotnet run -c Release --project bench/PhaseAccuracy -- [calls=50] [headersMs=300] [ttftMs=500] [deltas=10] [gapMs=50]
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var calls = Arg(args, 0, 50);
        var headersMs = Arg(args, 1, 300);
        var ttftMs = Arg(args, 2, 500);
        var deltas = Arg(args, 3, 10);
        var gapMs = Arg(args, 4, 50);

        var ended = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Glassbox.Gateway",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = ended.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);

        await using var simulator = SimulatorApp.Build(["--urls", "http://127.0.0.1:0"], b => b.Logging.ClearProviders());
        var simulatorUri = await StartAsync(simulator);
        await using var gateway = GatewayApp.Build(["--urls", "http://127.0.0.1:0"], b =>
        {
            b.Configuration["Glassbox:Upstreams:Anthropic:BaseUrl"] = simulatorUri;
            b.Configuration["Glassbox:Upstreams:OpenAI:BaseUrl"] = simulatorUri;
            b.Configuration["Serilog:MinimumLevel:Default"] = "Warning";
        });
        var gatewayUri = await StartAsync(gateway);
        using var client = new HttpClient(new SocketsHttpHandler { ActivityHeadersPropagator = null }) { BaseAddress = new Uri(gatewayUri) };

        for (var i = 0; i < 10; i++)
        {
            await CallAsync(client, $"warmup-{i}", 0, 0, 3, 0);
        }

        var rows = new List<Row>();
        for (var i = 0; i < calls; i++)
        {
            var model = $"accuracy-{i}";
            var clientTtft = await CallAsync(client, model, headersMs, ttftMs, deltas, gapMs);
            var call = await WaitForAsync(ended, s => s.Kind == ActivityKind.Client && Equals(s.GetTagItem("gen_ai.request.model"), model));
            var trace = ended.Where(s => s.TraceId == call.TraceId).ToList();
            double Phase(string name) => trace.Single(s => s.DisplayName == name).Duration.TotalMilliseconds;
            rows.Add(new Row(
                Phase("wait for response headers") - headersMs,
                Phase("time to first token") - ttftMs,
                Phase("generation") - ((deltas - 1) * gapMs),
                (double)call.GetTagItem("ai.ttft_ms")! - (headersMs + ttftMs),
                clientTtft - (double)call.GetTagItem("ai.ttft_ms")!,
                (double)call.GetTagItem("glassbox.gateway_overhead_ms")!));
        }

        Console.WriteLine($"Phase accuracy over {calls} streaming calls (headers {headersMs} ms, TTFT {ttftMs} ms, {deltas} deltas {gapMs} ms apart); errors in ms:");
        Console.WriteLine("| measure | median | p90 | max |");
        Console.WriteLine("|---|---|---|---|");
        Report("wait for response headers − configured", rows.Select(r => r.Headers));
        Report("time to first token (headers → first delta) − configured", rows.Select(r => r.Ttft));
        Report("generation (first → last delta) − configured", rows.Select(r => r.Generation));
        Report("ai.ttft_ms − (headers + TTFT configured)", rows.Select(r => r.CallTtft));
        Report("client-observed TTFT − ai.ttft_ms", rows.Select(r => r.ClientVsSpan));
        Report("glassbox.gateway_overhead_ms (absolute)", rows.Select(r => r.Overhead));
        return 0;
    }

    private static void Report(string name, IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        static string F(double v) => v.ToString("0.00", CultureInfo.InvariantCulture);
        Console.WriteLine($"| {name} | {F(sorted[sorted.Length / 2])} | {F(sorted[(int)(sorted.Length * 0.9)])} | {F(sorted[^1])} |");
    }

    /// <summary>Returns the client-side time to the first content delta, in ms.</summary>
    private static async Task<double> CallAsync(HttpClient client, string model, int headersMs, int ttftMs, int deltas, int gapMs)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/messages")
        {
            Content = new StringContent($$"""{"model":"{{model}}","max_tokens":64,"stream":true,"messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
        };
        request.Headers.Add("x-api-key", "sk-bench");
        request.Headers.Add("x-sim-headers-delay-ms", headersMs.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("x-sim-ttft-ms", ttftMs.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("x-sim-deltas", deltas.ToString(CultureInfo.InvariantCulture));
        request.Headers.Add("x-sim-delta-gap-ms", gapMs.ToString(CultureInfo.InvariantCulture));
        var clock = Stopwatch.StartNew();
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[16 * 1024];
        double? firstDelta = null;
        var seen = new StringBuilder();
        int read;
        while ((read = await body.ReadAsync(buffer)) > 0)
        {
            if (firstDelta is null)
            {
                seen.Append(Encoding.UTF8.GetString(buffer, 0, read));
                if (seen.ToString().Contains("content_block_delta", StringComparison.Ordinal))
                {
                    firstDelta = clock.Elapsed.TotalMilliseconds;
                }
            }
        }

        return firstDelta ?? double.NaN;
    }

    private static async Task<Activity> WaitForAsync(ConcurrentQueue<Activity> ended, Func<Activity, bool> match)
    {
        for (var i = 0; i < 500; i++)
        {
            if (ended.FirstOrDefault(match) is { } found)
            {
                return found;
            }

            await Task.Delay(10);
        }

        throw new TimeoutException("call span not seen");
    }

    private static async Task<string> StartAsync(WebApplication app)
    {
        await app.StartAsync();
        return app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
    }

    private static int Arg(string[] args, int index, int fallback) =>
        args.Length > index && int.TryParse(args[index], CultureInfo.InvariantCulture, out var value) ? value : fallback;

    private sealed record Row(double Headers, double Ttft, double Generation, double CallTtft, double ClientVsSpan, double Overhead);
}
