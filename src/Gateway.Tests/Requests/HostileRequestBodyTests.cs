using System.Text;
using Glassbox.Gateway.Dialects;
using Glassbox.Gateway.Requests;
using Glassbox.Gateway.Telemetry;

namespace Glassbox.Gateway.Tests.Requests;

/// <summary>Request bodies built to hurt the reader: it answers (facts or "not JSON"), never throws, never keeps more than its caps.</summary>
public sealed class HostileRequestBodyTests
{
    [Fact]
    public void TryRead_InvalidUtf8InModel_ReadsTheBodyWithoutThrowing()
    {
        var body = Concat("""{"model":"gpt-"""u8, [0xC3, 0x28, 0xFF], "\",\"stream\":true,\"messages\":[]}"u8);

        var facts = ApiDialects.OpenAIChatCompletions.ReadRequest(body, "", captureInput: false);

        Assert.NotNull(facts);
        Assert.True(facts.Stream);
        Assert.Null(facts.Model);
    }

    [Fact]
    public void TryRead_InvalidUtf8InCapturedMessages_ReadsTheBodyWithoutThrowing()
    {
        var body = Concat("""{"model":"m","messages":[{"role":"user","content":"a"""u8, [0xFF, 0xFE], "\"}]}"u8);

        var facts = ApiDialects.AnthropicMessages.ReadRequest(body, "", captureInput: true);

        Assert.NotNull(facts);
        Assert.Equal(1, facts.MessageCount);
    }

    /// <summary>Found by <see cref="RequestFactsReaderProperties"/> (CsCheck seed 87FxQ7IdyFC1): it threw InvalidOperationException, a 500.</summary>
    [Fact]
    public void TryRead_LoneSurrogateEscapeInAPropertyName_ReadsWithoutThrowing()
    {
        var facts = ApiDialects.AnthropicMessages.ReadRequest("""{"model":"claude","stream":true,"messag\ud800es":[]}"""u8, "", captureInput: true);

        Assert.NotNull(facts);
        Assert.Equal("claude", facts.Model);
        Assert.True(facts.Stream);
    }

    [Fact]
    public void TryRead_HundredKilobyteModel_KeepsTheCappedName()
    {
        var model = new string('x', 100 * 1024);

        var facts = ApiDialects.AnthropicMessages.ReadRequest(Encoding.UTF8.GetBytes($$"""{"model":"{{model}}","messages":[]}"""), "", false);

        Assert.Equal(TelemetryText.MaxNameChars, facts!.Model!.Length);
    }

    [Fact]
    public void TryRead_ModelWithControlCharacters_KeepsNoControlCharacter()
    {
        var facts = ApiDialects.AnthropicMessages.ReadRequest("""{"model":"m\r\nx\u0007","messages":[]}"""u8, "", false);

        Assert.Equal("m\uFFFD\uFFFDx\uFFFD", facts!.Model);
    }

    [Fact]
    public void TryRead_ThousandStopSequences_KeepsTheFirstSixteen()
    {
        var stops = string.Join(",", Enumerable.Range(0, 1000).Select(i => $"\"s{i}\""));

        var facts = ApiDialects.OpenAIChatCompletions.ReadRequest(Encoding.UTF8.GetBytes($$"""{"model":"m","stop":[{{stops}}]}"""), "", false);

        Assert.Equal(TelemetryText.MaxListItems, facts!.StopSequences!.Length);
    }

    [Fact]
    public void TryRead_NestedTenThousandDeep_IsNotJson()
    {
        var body = Encoding.UTF8.GetBytes("{\"model\":\"m\",\"x\":" + new string('[', 10_000) + new string(']', 10_000) + "}");

        Assert.Null(ApiDialects.AnthropicMessages.ReadRequest(body, "", false));
    }

    [Fact]
    public void TryRead_StreamAsAString_IsNotAStream()
    {
        var facts = ApiDialects.AnthropicMessages.ReadRequest("""{"model":"m","stream":"true","messages":[]}"""u8, "", false);

        Assert.False(facts!.Stream);
    }

    private static byte[] Concat(params ReadOnlySpan<byte[]> parts) => parts.ToArray().SelectMany(p => p).ToArray();

    private static byte[] Concat(ReadOnlySpan<byte> a, byte[] b, ReadOnlySpan<byte> c) => [.. a, .. b, .. c];
}
