using System.Text;
using System.Text.Json;
using Glassbox.Gateway.Dialects;
using Glassbox.Gateway.StreamObservation.Sse;
using Microsoft.AspNetCore.Http;

namespace Glassbox.Gateway.Tests.Dialects;

/// <summary>Errors the gateway writes itself look like the provider's own, so SDKs raise their typed errors.</summary>
public sealed class DialectErrorWriterTests
{
    private const string Tricky = "Line one \"quoted\"\n\nline two </script> \u00e9";

    [Theory]
    [InlineData((int)GatewayErrorKind.InvalidRequest, "invalid_request_error")]
    [InlineData((int)GatewayErrorKind.RequestTooLarge, "request_too_large")]
    [InlineData((int)GatewayErrorKind.Overloaded, "overloaded_error")]
    [InlineData((int)GatewayErrorKind.UpstreamUnreachable, "api_error")]
    [InlineData((int)GatewayErrorKind.Timeout, "api_error")]
    [InlineData((int)GatewayErrorKind.StreamInterrupted, "api_error")]
    public void Format_Anthropic_ErrorEnvelopeWithTypeAndMessage(int kind, string expectedType)
    {
        using var json = JsonDocument.Parse(ApiDialects.AnthropicMessages.FormatError(500, (GatewayErrorKind)kind, Tricky));

        Assert.Equal("error", json.RootElement.GetProperty("type").GetString());
        var error = json.RootElement.GetProperty("error");
        Assert.Equal(expectedType, error.GetProperty("type").GetString());
        Assert.Equal(Tricky, error.GetProperty("message").GetString());
    }

    [Theory]
    [InlineData("OpenAIChatCompletions", (int)GatewayErrorKind.InvalidRequest, "invalid_request_error", "invalid_json")]
    [InlineData("OpenAIResponses", (int)GatewayErrorKind.RequestTooLarge, "invalid_request_error", "request_too_large")]
    [InlineData("OpenAIChatCompletions", (int)GatewayErrorKind.UpstreamUnreachable, "server_error", "upstream_unreachable")]
    [InlineData("OpenAIResponses", (int)GatewayErrorKind.Timeout, "server_error", "upstream_timeout")]
    [InlineData("OpenAIChatCompletions", (int)GatewayErrorKind.Overloaded, "server_error", "upstream_unavailable")]
    [InlineData("OpenAIChatCompletions", (int)GatewayErrorKind.Internal, "server_error", "gateway_error")]
    public void Format_OpenAI_ErrorObjectWithMessageTypeParamAndCode(string dialect, int kind, string expectedType, string expectedCode)
    {
        using var json = JsonDocument.Parse(ApiDialects.ByName(dialect).FormatError(500, (GatewayErrorKind)kind, Tricky));

        var error = json.RootElement.GetProperty("error");
        Assert.Equal(Tricky, error.GetProperty("message").GetString());
        Assert.Equal(expectedType, error.GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.Null, error.GetProperty("param").ValueKind);
        Assert.Equal(expectedCode, error.GetProperty("code").GetString());
    }

    [Fact]
    public async Task WriteAsync_SetsStatusContentTypeLengthAndBody()
    {
        var context = new DefaultHttpContext();
        var body = new MemoryStream();
        context.Response.Body = body;

        await DialectErrorWriter.WriteAsync(context, ApiDialects.OpenAIChatCompletions, 413, GatewayErrorKind.RequestTooLarge, "too big");

        Assert.Equal(413, context.Response.StatusCode);
        Assert.Equal("application/json", context.Response.ContentType);
        Assert.Equal(body.Length, context.Response.ContentLength);
        using var json = JsonDocument.Parse(body.ToArray());
        Assert.Equal("too big", json.RootElement.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public void FormatStreamError_Anthropic_OneErrorEventWithEventLine()
    {
        var bytes = ApiDialects.AnthropicMessages.FormatStreamError(GatewayErrorKind.StreamInterrupted, Tricky);

        var (type, data) = SingleEvent(bytes);
        Assert.StartsWith("event: error\ndata: ", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
        Assert.Equal("error", type);
        using var json = JsonDocument.Parse(data);
        Assert.Equal("error", json.RootElement.GetProperty("type").GetString());
        Assert.Equal("api_error", json.RootElement.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal(Tricky, json.RootElement.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public void FormatStreamError_Responses_OneErrorEventWithEventLine()
    {
        var bytes = ApiDialects.OpenAIResponses.FormatStreamError(GatewayErrorKind.Timeout, Tricky);

        var (type, data) = SingleEvent(bytes);
        Assert.StartsWith("event: error\ndata: ", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
        Assert.Equal("error", type);
        using var json = JsonDocument.Parse(data);
        Assert.Equal("error", json.RootElement.GetProperty("type").GetString());
        Assert.Equal("upstream_timeout", json.RootElement.GetProperty("code").GetString());
        Assert.Equal(Tricky, json.RootElement.GetProperty("message").GetString());
    }

    [Fact]
    public void FormatStreamError_Chat_DataOnlyEventWithErrorObject()
    {
        var bytes = ApiDialects.OpenAIChatCompletions.FormatStreamError(GatewayErrorKind.StreamInterrupted, Tricky);

        var (type, data) = SingleEvent(bytes);
        Assert.StartsWith("data: {", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
        Assert.Equal("", type);
        using var json = JsonDocument.Parse(data);
        var error = json.RootElement.GetProperty("error");
        Assert.Equal(Tricky, error.GetProperty("message").GetString());
        Assert.Equal("server_error", error.GetProperty("type").GetString());
        Assert.Equal("stream_interrupted", error.GetProperty("code").GetString());
    }

    /// <summary>Parses the bytes as an SSE stream: exactly one event, ending with its blank line.</summary>
    private static (string Type, string Data) SingleEvent(byte[] bytes)
    {
        Assert.EndsWith("\n\n", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
        using var reader = new SseReader();
        var sink = new Sink();
        reader.Feed(bytes, sink);
        Assert.True(reader.IsAtEventBoundary);
        Assert.False(reader.Complete());
        return Assert.Single(sink.Events);
    }

    private sealed class Sink : ISseEventSink
    {
        public List<(string Type, string Data)> Events { get; } = [];

        public void OnEvent(ReadOnlySpan<byte> eventType, ReadOnlySpan<byte> data) =>
            Events.Add((Encoding.UTF8.GetString(eventType), Encoding.UTF8.GetString(data)));
    }
}
