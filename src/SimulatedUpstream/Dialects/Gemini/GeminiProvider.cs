using System.Globalization;
using Glassbox.SimulatedUpstream.Control;
using Glassbox.SimulatedUpstream.Generation;

namespace Glassbox.SimulatedUpstream.Dialects.Gemini;

/// <summary>Google's Gemini API: key in <c>x-goog-api-key</c> or <c>?key=</c>, errors as <c>google.rpc.Status</c>, no rate-limit headers.</summary>
internal sealed class GeminiProvider : Provider
{
    public static readonly GeminiProvider Instance = new();

    public override string StreamContentType => "text/event-stream";

    public override string JsonContentType => "application/json; charset=UTF-8";

    /// <summary>Google answers a request without any key with 403 <c>PERMISSION_DENIED</c>.</summary>
    public override int MissingKeyStatus => 403;

    public override bool HasKey(HttpRequest request) =>
        request.Headers.ContainsKey("x-goog-api-key")
        || request.Headers.ContainsKey("Authorization")
        || !string.IsNullOrEmpty(request.Query["key"]);

    public override void WriteHeaders(HttpResponse response, CallIds ids, int status, DateTimeOffset now, int processingMs)
    {
        response.Headers["vary"] = "Origin, X-Origin, Referer";
        response.Headers["server-timing"] = string.Create(CultureInfo.InvariantCulture, $"gfet4t7; dur={processingMs}");
    }

    public override byte[] ErrorBody(int status, string? message, CallIds ids, SimulationPlan? plan) =>
        [.. JsonText.BuildPrettyByTwo(w => WriteError(w, status, message, plan?.RetryDelay)), (byte)'\n'];

    /// <summary><c>{"error":{"code","message","status","details"?}}</c>; <c>details</c> holds a <c>RetryInfo</c> when a delay is given.</summary>
    public static void WriteError(System.Text.Json.Utf8JsonWriter w, int status, string? message, string? retryDelay)
    {
        var (rpcStatus, defaultMessage) = Status(status);
        w.WriteStartObject();
        w.WriteStartObject("error");
        w.WriteNumber("code", status);
        w.WriteString("message", message ?? defaultMessage);
        w.WriteString("status", rpcStatus);
        if (retryDelay is not null)
        {
            w.WriteStartArray("details");
            w.WriteStartObject();
            w.WriteString("@type", "type.googleapis.com/google.rpc.RetryInfo");
            w.WriteString("retryDelay", retryDelay);
            w.WriteEndObject();
            w.WriteEndArray();
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>The <c>google.rpc.Code</c> name Google uses for an HTTP status.</summary>
    public static (string Status, string Message) Status(int status) => status switch
    {
        400 => ("INVALID_ARGUMENT", "Request contains an invalid argument."),
        401 => ("UNAUTHENTICATED", "Request had invalid authentication credentials."),
        403 => ("PERMISSION_DENIED", "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API."),
        404 => ("NOT_FOUND", "Requested entity was not found."),
        409 => ("ABORTED", "The operation was aborted."),
        429 => ("RESOURCE_EXHAUSTED", "You exceeded your current quota, please check your plan and billing details."),
        499 => ("CANCELLED", "The operation was cancelled."),
        < 500 => ("FAILED_PRECONDITION", "Precondition check failed."),
        503 => ("UNAVAILABLE", "The model is overloaded. Please try again later."),
        504 => ("DEADLINE_EXCEEDED", "Deadline expired before operation could complete."),
        _ => ("INTERNAL", "An internal error has occurred. Please retry."),
    };
}
