using System.Globalization;
using Glassbox.SimulatedUpstream.Hostile;
using Microsoft.Extensions.Primitives;

namespace Glassbox.SimulatedUpstream.Control;

/// <summary>Reads a <see cref="SimulationPlan"/> from the control headers; throws <see cref="FormatException"/> on a bad value.</summary>
internal static class PlanReader
{
    public static SimulationPlan Read(HttpRequest request, SimulatorOptions defaults, SimulatorStats stats, TimeProvider time)
    {
        var h = request.Headers;
        var deltas = Int(h, ControlHeaders.Deltas, defaults.Deltas);
        var attempt = Str(h, ControlHeaders.Scenario) is { } scenario ? stats.NextScenarioAttempt(scenario) : 0;
        var fault = ParseFault(Str(h, ControlHeaders.Fault) ?? defaults.Fault);
        if (fault != FaultKind.None && !ScenarioStillFails(h, attempt))
            fault = FaultKind.None;
        var created = Str(h, ControlHeaders.Created);

        return new SimulationPlan
        {
            HeadersDelayMs = Int(h, ControlHeaders.HeadersDelayMs, defaults.HeadersDelayMs),
            TimeToFirstTokenMs = Int(h, ControlHeaders.TimeToFirstTokenMs, defaults.TimeToFirstTokenMs),
            DeltaGapMs = Int(h, ControlHeaders.DeltaGapMs, defaults.DeltaGapMs),
            Deltas = Math.Max(1, deltas),
            InputTokens = Int(h, ControlHeaders.InputTokens, defaults.InputTokens),
            OutputTokens = Int(h, ControlHeaders.OutputTokens, defaults.OutputTokens ?? Math.Max(1, deltas)),
            CacheReadTokens = Int(h, ControlHeaders.CacheReadTokens, defaults.CacheReadTokens),
            CacheCreationTokens = Int(h, ControlHeaders.CacheCreationTokens, defaults.CacheCreationTokens),
            ReasoningTokens = Int(h, ControlHeaders.ReasoningTokens, defaults.ReasoningTokens),
            Content = ParseContent(Str(h, ControlHeaders.Content) ?? defaults.Content),
            StallAfter = Str(h, ControlHeaders.StallAfter) is { } s ? ParseInt(ControlHeaders.StallAfter, s) : defaults.StallAfter,
            StallMs = Int(h, ControlHeaders.StallMs, defaults.StallMs),
            Fault = fault,
            Status = Int(h, ControlHeaders.Status, defaults.Status),
            FaultAfter = Int(h, ControlHeaders.FaultAfter, defaults.FaultAfter),
            RetryAfter = Str(h, ControlHeaders.RetryAfter),
            RetryAfterMs = Str(h, ControlHeaders.RetryAfterMs),
            ShouldRetry = Str(h, ControlHeaders.ShouldRetry),
            RetryDelay = Str(h, ControlHeaders.RetryDelay),
            ToolUsePromptTokens = Int(h, ControlHeaders.ToolUsePromptTokens, 0),
            FinishReason = Str(h, ControlHeaders.FinishReason),
            Compression = ChooseCompression(Str(h, ControlHeaders.Compress) ?? defaults.Compress, h.AcceptEncoding),
            Hostile = HostileKinds.Parse(Str(h, ControlHeaders.Hostile)) is var hostile && HostileKinds.NeedsRawListener(hostile)
                ? throw new FormatException($"{ControlHeaders.Hostile} {hostile} is served only by the raw listener ({nameof(RawHostileServer)}).")
                : hostile,
            HostileBytes = Str(h, ControlHeaders.HostileBytes) is { } hb
                ? (long.TryParse(hb, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 0 ? n : throw new FormatException($"{ControlHeaders.HostileBytes} must be a non-negative integer."))
                : null,
            Ids = Str(h, ControlHeaders.Id) is { } id ? new CallIds(id) : CallIds.Random(),
            Created = created is null ? time.GetUtcNow().ToUnixTimeSeconds() : long.Parse(created, CultureInfo.InvariantCulture),
        };
    }

    /// <summary>With <c>x-sim-fail-times: K</c> and <c>x-sim-scenario</c>, only the first K attempts of the scenario fail.</summary>
    private static bool ScenarioStillFails(IHeaderDictionary h, int attempt)
    {
        var failTimes = Str(h, ControlHeaders.FailTimes);
        if (failTimes is null || attempt == 0)
            return true;
        return attempt <= ParseInt(ControlHeaders.FailTimes, failTimes);
    }

    private static string? ChooseCompression(string? wanted, StringValues acceptEncoding)
    {
        if (string.IsNullOrEmpty(wanted) || wanted == "none")
            return null;
        if (wanted is not ("gzip" or "br"))
            throw new FormatException($"{ControlHeaders.Compress} must be gzip or br.");
        foreach (var value in acceptEncoding)
        {
            foreach (var token in (value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var name = token.Split(';', 2)[0].Trim();
                if (string.Equals(name, wanted, StringComparison.OrdinalIgnoreCase))
                    return wanted;
            }
        }

        return null;
    }

    private static FaultKind ParseFault(string value) => value switch
    {
        "" or "none" => FaultKind.None,
        "status" => FaultKind.Status,
        "error-event" => FaultKind.ErrorEvent,
        "reset" => FaultKind.Reset,
        "stall" => FaultKind.Stall,
        _ => throw new FormatException($"{ControlHeaders.Fault} must be status, error-event, reset or stall."),
    };

    private static ContentKind ParseContent(string value) => value switch
    {
        "text" => ContentKind.Text,
        "tool" => ContentKind.Tool,
        "thinking" => ContentKind.Thinking,
        "blocked" => ContentKind.Blocked,
        _ => throw new FormatException($"{ControlHeaders.Content} must be text, tool, thinking or blocked."),
    };

    private static string? Str(IHeaderDictionary headers, string name) =>
        headers.TryGetValue(name, out var v) && !StringValues.IsNullOrEmpty(v) ? v.ToString().Trim() : null;

    private static int Int(IHeaderDictionary headers, string name, int fallback) =>
        Str(headers, name) is { } s ? ParseInt(name, s) : fallback;

    private static int ParseInt(string name, string value) =>
        int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 0
            ? n
            : throw new FormatException($"{name} must be a non-negative integer.");
}
