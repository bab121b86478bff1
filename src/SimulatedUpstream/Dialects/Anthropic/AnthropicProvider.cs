using System.Globalization;
using Glassbox.SimulatedUpstream.Control;
using Glassbox.SimulatedUpstream.Generation;

namespace Glassbox.SimulatedUpstream.Dialects.Anthropic;

internal sealed class AnthropicProvider : Provider
{
    public static readonly AnthropicProvider Instance = new();

    private static readonly (string Name, long Limit)[] Limits =
    [
        ("requests", 4_000),
        ("tokens", 2_000_000),
        ("input-tokens", 1_600_000),
        ("output-tokens", 400_000),
    ];

    public override string StreamContentType => "text/event-stream; charset=utf-8";

    public override void WriteHeaders(HttpResponse response, CallIds ids, int status, DateTimeOffset now, int processingMs)
    {
        var headers = response.Headers;
        headers["request-id"] = ids.Request;
        var reset = now.AddSeconds(status == 429 ? 30 : 1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        foreach (var (name, limit) in Limits)
        {
            headers[$"anthropic-ratelimit-{name}-limit"] = limit.ToString(CultureInfo.InvariantCulture);
            headers[$"anthropic-ratelimit-{name}-remaining"] = (status == 429 ? 0 : limit - 1).ToString(CultureInfo.InvariantCulture);
            headers[$"anthropic-ratelimit-{name}-reset"] = reset;
        }
    }

    public override byte[] ErrorBody(int status, string? message, CallIds ids, SimulationPlan? plan)
    {
        var (type, defaultMessage) = ErrorType(status);
        return JsonText.Build(w =>
        {
            w.WriteStartObject();
            w.WriteString("type", "error");
            w.WriteStartObject("error");
            w.WriteString("type", type);
            w.WriteString("message", message ?? defaultMessage);
            w.WriteEndObject();
            w.WriteString("request_id", ids.Request);
            w.WriteEndObject();
        });
    }

    /// <summary>The <c>error.type</c> Anthropic uses for a status.</summary>
    public static (string Type, string Message) ErrorType(int status) => status switch
    {
        400 => ("invalid_request_error", "Invalid request."),
        401 => ("authentication_error", "x-api-key header is required"),
        403 => ("permission_error", "Your API key does not have permission to use the specified resource."),
        404 => ("not_found_error", "The requested resource could not be found."),
        413 => ("request_too_large", "Request exceeds the maximum allowed number of bytes."),
        429 => ("rate_limit_error", "This request would exceed the rate limit for your organization."),
        529 => ("overloaded_error", "Overloaded"),
        < 500 => ("invalid_request_error", "Invalid request."),
        _ => ("api_error", "Internal server error"),
    };
}
