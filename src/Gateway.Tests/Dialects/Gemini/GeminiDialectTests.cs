using System.Text;
using System.Text.Json;
using Glassbox.Gateway.Dialects;
using Glassbox.Gateway.StreamObservation;

namespace Glassbox.Gateway.Tests.Dialects.Gemini;

/// <summary>Gemini's usage arithmetic, its error shapes and its retry delays.</summary>
public sealed class GeminiDialectTests
{
    [Fact]
    public void Usage_AllCounts_SemanticConventionsAsGoogleBills()
    {
        var raw = new ResponseFacts { InputTokens = 100, ToolUsePromptTokens = 7, OutputTokens = 30, ReasoningOutputTokens = 12, CacheReadInputTokens = 40 };

        var usage = ApiDialects.Gemini.Usage(raw);

        Assert.Equal(107, usage.Input);        // promptTokenCount (cache included) + toolUsePromptTokenCount
        Assert.Equal(42, usage.Output);        // candidatesTokenCount + thoughtsTokenCount
        Assert.Equal(12, usage.Reasoning);
        Assert.Equal(40, usage.CacheRead);
        Assert.Null(usage.CacheCreation);
        Assert.Equal(67, usage.UncachedInput);
    }

    [Fact]
    public void Usage_NothingReported_NothingInvented()
    {
        var usage = ApiDialects.Gemini.Usage(new ResponseFacts { InputTokens = 9 });

        Assert.Equal(9, usage.Input);
        Assert.Null(usage.Output);
        Assert.Null(usage.Reasoning);
        Assert.Null(ApiDialects.Gemini.Usage(new ResponseFacts()).Input);
    }

    [Theory]
    [InlineData("RESOURCE_EXHAUSTED", "rate_limit")]
    [InlineData("UNAVAILABLE", "overloaded")]
    [InlineData("INVALID_ARGUMENT", "invalid_request")]
    [InlineData("FAILED_PRECONDITION", "invalid_request")]
    [InlineData("PERMISSION_DENIED", "permission")]
    [InlineData("UNAUTHENTICATED", "authentication")]
    [InlineData("NOT_FOUND", "not_found")]
    [InlineData("DEADLINE_EXCEEDED", "timeout")]
    [InlineData("INTERNAL", "api_error")]
    public void ErrorType_RpcStatus_AiErrorType(string status, string expected)
    {
        Assert.Equal(expected, ApiDialects.Gemini.ErrorType(status));
    }

    [Theory]
    [InlineData(413, (int)GatewayErrorKind.RequestTooLarge, "INVALID_ARGUMENT")]
    [InlineData(401, (int)GatewayErrorKind.Authentication, "UNAUTHENTICATED")]
    [InlineData(502, (int)GatewayErrorKind.UpstreamUnreachable, "UNAVAILABLE")]
    [InlineData(504, (int)GatewayErrorKind.Timeout, "DEADLINE_EXCEEDED")]
    [InlineData(503, (int)GatewayErrorKind.Overloaded, "UNAVAILABLE")]
    public void FormatError_Kind_GooglesStatusObject(int status, int kind, string rpcStatus)
    {
        using var json = JsonDocument.Parse(ApiDialects.Gemini.FormatError(status, (GatewayErrorKind)kind, "why \"quoted\""));

        var error = json.RootElement.GetProperty("error");
        Assert.Equal(status, error.GetProperty("code").GetInt32());
        Assert.Equal(rpcStatus, error.GetProperty("status").GetString());
        Assert.Equal("why \"quoted\"", error.GetProperty("message").GetString());
    }

    [Fact]
    public void FormatStreamError_OneDataEventHoldingOnlyTheError()
    {
        var text = Encoding.UTF8.GetString(ApiDialects.Gemini.FormatStreamError(GatewayErrorKind.Timeout, "idle")!);

        Assert.StartsWith("data: ", text, StringComparison.Ordinal);
        Assert.EndsWith("\r\n\r\n", text, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(text["data: ".Length..]);
        Assert.Equal(504, json.RootElement.GetProperty("error").GetProperty("code").GetInt32());
        Assert.Equal("DEADLINE_EXCEEDED", json.RootElement.GetProperty("error").GetProperty("status").GetString());
    }

    [Theory]
    [InlineData("30s", 30_000)]
    [InlineData("1.5s", 1_500)]
    [InlineData("0.250s", 250)]
    [InlineData("30", null)]
    [InlineData("-1s", null)]
    [InlineData("soon", null)]
    public void RetryDelay_RetryInfoInTheBody_ItsDuration(string retryDelay, int? expectedMs)
    {
        var body = $$$"""{"error":{"code":429,"status":"RESOURCE_EXHAUSTED","details":[{"@type":"type.googleapis.com/google.rpc.QuotaFailure"},{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"{{{retryDelay}}}"}]}}""";

        Assert.Equal(expectedMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null, ApiDialects.Gemini.RetryDelay(Encoding.UTF8.GetBytes(body)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("<html>")]
    [InlineData("{\"error\":{\"code\":429}}")]
    public void RetryDelay_NoRetryInfo_Null(string body)
    {
        Assert.Null(ApiDialects.Gemini.RetryDelay(Encoding.UTF8.GetBytes(body)));
    }
}
