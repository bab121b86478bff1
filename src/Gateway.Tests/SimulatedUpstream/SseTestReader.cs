using System.Diagnostics;
using System.Text.Json;

namespace Glassbox.Gateway.Tests.SimulatedUpstream;

/// <summary>Minimal test-side reading of an event stream: data payloads, and when each line arrived.</summary>
internal static class SseTestReader
{
    public static List<string> DataLines(string body) =>
        [.. body.Split('\n').Where(l => l.StartsWith("data: ", StringComparison.Ordinal)).Select(l => l["data: ".Length..])];

    public static List<JsonElement> DataJson(string body) =>
        [.. DataLines(body).Where(d => d != "[DONE]").Select(d => JsonDocument.Parse(d).RootElement.Clone())];

    /// <summary>Reads lines until the end, with the elapsed time at which each one arrived.</summary>
    public static async Task<List<(TimeSpan At, string Line)>> TimedLinesAsync(Stream stream, Stopwatch clock)
    {
        var lines = new List<(TimeSpan, string)>();
        using var reader = new StreamReader(stream);
        while (await reader.ReadLineAsync() is { } line)
            lines.Add((clock.Elapsed, line));
        return lines;
    }
}
