using System.Globalization;
using System.Net.Http.Headers;

namespace Glassbox.Gateway.Telemetry;

/// <summary>
/// Provider rate-limit headroom from one response: Anthropic's <c>anthropic-ratelimit-*</c> and
/// OpenAI's <c>x-ratelimit-*</c> headers, normalised to limit/remaining per kind.
/// </summary>
internal sealed class RateLimitSnapshot
{
    /// <summary>The kinds both providers report, in attribute and gauge form.</summary>
    public static readonly string[] Kinds = TelemetryNames.Own.RateLimitKinds;

    private static readonly string[] AnthropicLimit = [.. Kinds.Select(k => $"anthropic-ratelimit-{k.Replace('_', '-')}-limit")];
    private static readonly string[] AnthropicRemaining = [.. Kinds.Select(k => $"anthropic-ratelimit-{k.Replace('_', '-')}-remaining")];
    private static readonly string[] AnthropicReset = [.. Kinds.Select(k => $"anthropic-ratelimit-{k.Replace('_', '-')}-reset")];
    private static readonly string[] OpenAILimit = [.. Kinds.Select(k => $"x-ratelimit-limit-{k.Replace('_', '-')}")];
    private static readonly string[] OpenAIRemaining = [.. Kinds.Select(k => $"x-ratelimit-remaining-{k.Replace('_', '-')}")];
    private static readonly string[] OpenAIReset = [.. Kinds.Select(k => $"x-ratelimit-reset-{k.Replace('_', '-')}")];

    private readonly long?[] _limit = new long?[Kinds.Length];
    private readonly long?[] _remaining = new long?[Kinds.Length];
    private readonly string?[] _reset = new string?[Kinds.Length];

    public bool IsEmpty { get; private set; } = true;

    public long? Limit(int kind) => _limit[kind];
    public long? Remaining(int kind) => _remaining[kind];
    public string? Reset(int kind) => _reset[kind];

    /// <summary>Null when the response carries no rate-limit header.</summary>
    public static RateLimitSnapshot? Read(HttpResponseHeaders headers)
    {
        var snapshot = new RateLimitSnapshot();
        for (var kind = 0; kind < Kinds.Length; kind++)
        {
            snapshot.Set(kind,
                Number(headers, AnthropicLimit[kind]) ?? Number(headers, OpenAILimit[kind]),
                Number(headers, AnthropicRemaining[kind]) ?? Number(headers, OpenAIRemaining[kind]),
                Text(headers, AnthropicReset[kind]) ?? Text(headers, OpenAIReset[kind]));
        }

        return snapshot.IsEmpty ? null : snapshot;
    }

    private void Set(int kind, long? limit, long? remaining, string? reset)
    {
        _limit[kind] = limit;
        _remaining[kind] = remaining;
        _reset[kind] = reset;
        IsEmpty &= limit is null && remaining is null && reset is null;
    }

    private static string? Text(HttpResponseHeaders headers, string name) =>
        headers.NonValidated.TryGetValues(name, out var values) ? values.ToString() : null;

    private static long? Number(HttpResponseHeaders headers, string name) =>
        Text(headers, name) is { } text && long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) ? value : null;
}
