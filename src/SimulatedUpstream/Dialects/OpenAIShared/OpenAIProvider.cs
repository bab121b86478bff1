using System.Globalization;
using Glassbox.SimulatedUpstream.Control;
using Glassbox.SimulatedUpstream.Generation;

namespace Glassbox.SimulatedUpstream.Dialects.OpenAIShared;

/// <summary>OpenAI headers and error bodies, shared by Chat Completions and Responses.</summary>
internal sealed class OpenAIProvider : Provider
{
    public static readonly OpenAIProvider Instance = new();

    private const long RequestLimit = 10_000;
    private const long TokenLimit = 30_000_000;

    public override string StreamContentType => "text/event-stream; charset=utf-8";

    public override void WriteHeaders(HttpResponse response, CallIds ids, int status, DateTimeOffset now, int processingMs)
    {
        var limited = status == 429;
        var headers = response.Headers;
        headers["x-request-id"] = ids.Request;
        headers["openai-processing-ms"] = processingMs.ToString(CultureInfo.InvariantCulture);
        headers["openai-version"] = "2020-10-01";
        headers["x-ratelimit-limit-requests"] = RequestLimit.ToString(CultureInfo.InvariantCulture);
        headers["x-ratelimit-limit-tokens"] = TokenLimit.ToString(CultureInfo.InvariantCulture);
        headers["x-ratelimit-remaining-requests"] = (limited ? 0 : RequestLimit - 1).ToString(CultureInfo.InvariantCulture);
        headers["x-ratelimit-remaining-tokens"] = (limited ? 0 : TokenLimit - 1_000).ToString(CultureInfo.InvariantCulture);
        headers["x-ratelimit-reset-requests"] = limited ? "6s" : "6ms";
        headers["x-ratelimit-reset-tokens"] = limited ? "1m" : "2ms";
    }

    public override byte[] ErrorBody(int status, string? message, CallIds ids, SimulationPlan? plan)
    {
        var (type, code, defaultMessage) = Error(status);
        return JsonText.BuildPretty(w =>
        {
            w.WriteStartObject();
            w.WriteStartObject("error");
            w.WriteString("message", message ?? defaultMessage);
            w.WriteString("type", type);
            w.WriteNull("param");
            if (code is null)
                w.WriteNull("code");
            else
                w.WriteString("code", code);
            w.WriteEndObject();
            w.WriteEndObject();
        });
    }

    private static (string Type, string? Code, string Message) Error(int status) => status switch
    {
        401 => ("invalid_request_error", "invalid_api_key", "Incorrect API key provided."),
        403 => ("invalid_request_error", "unsupported_country_region_territory", "Country, region, or territory not supported"),
        404 => ("invalid_request_error", "model_not_found", "The model does not exist or you do not have access to it."),
        429 => ("requests", "rate_limit_exceeded", "Rate limit reached for requests. Please try again later."),
        < 500 => ("invalid_request_error", null, "Invalid request."),
        500 => ("server_error", null, "The server had an error while processing your request. Sorry about that!"),
        _ => ("server_error", null, "The server is overloaded or not ready yet."),
    };
}
