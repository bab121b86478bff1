using Glassbox.Gateway.Calls;
using static Glassbox.Gateway.Tests.Calls.CallFixtures;

namespace Glassbox.Gateway.Tests.Calls;

/// <summary>The ai.error.type and error.type a failed call gets, whatever way it failed.</summary>
public sealed class ErrorClassifierTests
{
    [Theory]
    [InlineData(400, "invalid_request")]
    [InlineData(401, "authentication")]
    [InlineData(403, "permission")]
    [InlineData(404, "not_found")]
    [InlineData(408, "timeout")]
    [InlineData(409, "invalid_request")]
    [InlineData(413, "request_too_large")]
    [InlineData(422, "invalid_request")]
    [InlineData(429, "rate_limit")]
    [InlineData(500, "api_error")]
    [InlineData(502, "api_error")]
    [InlineData(503, "overloaded")]
    [InlineData(504, "timeout")]
    [InlineData(529, "overloaded")]
    public void Classify_ErrorStatusWithoutProviderType_TypeFromStatusAndSemconvIsTheCode(int status, string expected)
    {
        var call = Call();
        call.StatusCode = status;

        var error = ErrorClassifier.Classify(call);

        Assert.NotNull(error);
        Assert.Equal(expected, error.AiType);
        Assert.Equal(status.ToString(System.Globalization.CultureInfo.InvariantCulture), error.SemconvType);
    }

    [Theory]
    [InlineData(400, "rate_limit_error", "rate_limit")]
    [InlineData(500, "overloaded_error", "overloaded")]
    [InlineData(429, "insufficient_quota", "rate_limit")]
    [InlineData(400, "authentication_error", "authentication")]
    [InlineData(500, "invalid_api_key", "authentication")]
    [InlineData(400, "permission_error", "permission")]
    [InlineData(500, "not_found_error", "not_found")]
    [InlineData(500, "model_not_found", "not_found")]
    [InlineData(400, "request_too_large", "request_too_large")]
    [InlineData(503, "invalid_request_error", "invalid_request")]
    [InlineData(500, "context_length_exceeded", "invalid_request")]
    [InlineData(429, "api_error", "api_error")]
    [InlineData(400, "timeout_error", "timeout")]
    public void Classify_ProviderErrorType_WinsOverStatus(int status, string providerType, string expected)
    {
        var call = Call();
        call.StatusCode = status;
        call.Response.ErrorBodyType = providerType;
        call.Response.ErrorBodyMessage = "provider says no";

        var error = ErrorClassifier.Classify(call)!;

        Assert.Equal(expected, error.AiType);
        Assert.Equal(providerType, error.SemconvType);
        Assert.Equal("provider says no", error.Message);
    }

    [Fact]
    public void Classify_UnknownProviderType_StatusDecidesButErrorTypeKeepsProviderValue()
    {
        var call = Call();
        call.StatusCode = 429;
        call.Response.ErrorBodyType = "some_new_error";

        var error = ErrorClassifier.Classify(call)!;

        Assert.Equal("rate_limit", error.AiType);
        Assert.Equal("some_new_error", error.SemconvType);
    }

    [Theory]
    [InlineData("overloaded_error", "overloaded")]
    [InlineData("rate_limit_error", "rate_limit")]
    [InlineData("server_error", "api_error")]
    [InlineData("something_unheard_of", "api_error")]
    public void Classify_StreamErrorInside200_IsAnError(string streamType, string expected)
    {
        var call = Call(stream: true);
        call.StatusCode = 200;
        call.BodyEnded = true;
        call.Response.StreamErrorType = streamType;
        call.Response.StreamErrorMessage = "Overloaded";

        var error = ErrorClassifier.Classify(call)!;

        Assert.Equal(expected, error.AiType);
        Assert.Equal(streamType, error.SemconvType);
        Assert.Equal("Overloaded", error.Message);
    }

    [Fact]
    public void Classify_StreamEndedWithoutTerminalEvent_StreamInterrupted()
    {
        var call = Call(stream: true);
        call.StatusCode = 200;
        call.BodyEnded = true;
        call.Response.Completed = false;

        var error = ErrorClassifier.Classify(call)!;

        Assert.Equal("stream_interrupted", error.AiType);
        Assert.Equal("stream_interrupted", error.SemconvType);
        Assert.Contains("terminal event", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Classify_CompletedStream_Success()
    {
        var call = Call(stream: true);
        call.StatusCode = 200;
        call.BodyEnded = true;
        call.Response.Completed = true;

        Assert.Null(ErrorClassifier.Classify(call));
    }

    [Fact]
    public void Classify_NonStreaming200_Success()
    {
        var call = Call();
        call.StatusCode = 200;
        call.BodyEnded = true;

        Assert.Null(ErrorClassifier.Classify(call));
    }

    [Theory]
    [InlineData((int)CallEndReason.ClientDisconnected, "client_disconnected")]
    [InlineData((int)CallEndReason.Timeout, "timeout")]
    [InlineData((int)CallEndReason.UpstreamInterrupted, "stream_interrupted")]
    public void Classify_EndReason_DecidesTypeEvenAfterA200(int reason, string expected)
    {
        var call = Call(stream: true);
        call.StatusCode = 200;
        call.EndReason = (CallEndReason)reason;

        var error = ErrorClassifier.Classify(call)!;

        Assert.Equal(expected, error.AiType);
        Assert.Equal(expected, error.SemconvType);
        Assert.False(string.IsNullOrEmpty(error.Message));
    }

    [Fact]
    public void Classify_IdleTimeout_MessageNamesTheTimeout()
    {
        var call = Call(stream: true);
        call.EndReason = CallEndReason.Timeout;
        call.TimeoutKind = "idle";

        Assert.Contains("idle", ErrorClassifier.Classify(call)!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("upstream_unreachable", 502)]
    [InlineData("request_too_large", 413)]
    [InlineData("invalid_request", 400)]
    [InlineData("timeout", 504)]
    public void Classify_GatewayErrorType_WinsOverStatusAndEndReason(string gatewayType, int status)
    {
        var call = Call();
        call.StatusCode = status;
        call.EndReason = CallEndReason.ClientDisconnected;
        call.GatewayErrorType = gatewayType;
        call.GatewayErrorMessage = "the gateway says";

        var error = ErrorClassifier.Classify(call)!;

        Assert.Equal(gatewayType, error.AiType);
        Assert.Equal(gatewayType, error.SemconvType);
        Assert.Equal("the gateway says", error.Message);
    }

    [Fact]
    public void Classify_GatewayErrorWithProviderType_SemconvKeepsProviderType()
    {
        var call = Call();
        call.StatusCode = 504;
        call.GatewayErrorType = "timeout";
        call.GatewayErrorMessage = "gateway timeout";
        call.Response.ErrorBodyType = "overloaded_error";
        call.Response.ErrorBodyMessage = "provider message";

        var error = ErrorClassifier.Classify(call)!;

        Assert.Equal("timeout", error.AiType);
        Assert.Equal("overloaded_error", error.SemconvType);
        Assert.Equal("gateway timeout", error.Message);
    }

    [Fact]
    public void Classify_EveryDocumentedSeedValue_IsReachable()
    {
        string[] documented = ["rate_limit", "overloaded", "authentication", "permission", "invalid_request", "not_found", "request_too_large",
            "api_error", "timeout", "upstream_unreachable", "stream_interrupted", "client_disconnected"];
        var seen = new HashSet<string>();
        foreach (var status in new[] { 400, 401, 403, 404, 413, 429, 500, 503, 504 })
        {
            var call = Call();
            call.StatusCode = status;
            seen.Add(ErrorClassifier.Classify(call)!.AiType);
        }

        foreach (var reason in new[] { CallEndReason.ClientDisconnected, CallEndReason.UpstreamInterrupted })
        {
            var call = Call(stream: true);
            call.EndReason = reason;
            seen.Add(ErrorClassifier.Classify(call)!.AiType);
        }

        var unreachable = Call();
        unreachable.StatusCode = 502;
        unreachable.GatewayErrorType = "upstream_unreachable";
        seen.Add(ErrorClassifier.Classify(unreachable)!.AiType);

        Assert.Equal(documented.Order(), seen.Order());
    }
}
