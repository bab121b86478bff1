using Glassbox.Gateway.Telemetry;

namespace Glassbox.Gateway.Tests.Telemetry;

/// <summary>Peer-supplied strings reach span names, attributes and log lines bounded and without control characters.</summary>
public sealed class TelemetryTextTests
{
    [Fact]
    public void Name_ShortCleanValue_ReturnedUnchanged()
    {
        const string model = "claude-sonnet-4-5";

        Assert.Same(model, TelemetryText.Name(model));
    }

    [Fact]
    public void Name_HundredKilobyteValue_CutToTheCapWithAMark()
    {
        var bounded = TelemetryText.Name(new string('m', 100 * 1024))!;

        Assert.Equal(TelemetryText.MaxNameChars, bounded.Length);
        Assert.EndsWith(TelemetryText.CutMark.ToString(), bounded, StringComparison.Ordinal);
    }

    [Fact]
    public void Name_ControlCharacters_Replaced()
    {
        var bounded = TelemetryText.Name("gpt\r\n[AiCall] forged\u0000\u001b[31m");

        Assert.DoesNotContain(bounded!, char.IsControl);
        Assert.StartsWith("gpt\uFFFD\uFFFD[AiCall] forged", bounded, StringComparison.Ordinal);
    }

    [Fact]
    public void Bound_CutInsideASurrogatePair_KeepsThePairWhole()
    {
        var value = new string('a', 8) + "😀😀";

        var bounded = TelemetryText.Bound(value, 10)!;

        Assert.Equal("aaaaaaaa" + TelemetryText.CutMark, bounded);
    }
}
