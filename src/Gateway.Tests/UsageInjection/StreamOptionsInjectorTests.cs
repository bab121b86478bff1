using System.Text;
using System.Text.Json;
using Glassbox.Gateway.UsageInjection;

namespace Glassbox.Gateway.Tests.UsageInjection;

/// <summary>Asking a Chat stream for usage with the smallest edit of the client's body, or not at all when that is not safe.</summary>
public sealed class StreamOptionsInjectorTests
{
    private static (StreamOptionsEdit Edit, string? Body) Inject(string body)
    {
        var edit = StreamOptionsInjector.TryInject(Encoding.UTF8.GetBytes(body), out var edited);
        return (edit, edited is null ? null : Encoding.UTF8.GetString(edited));
    }

    public static TheoryData<string, string> Edits() => new()
    {
        // no stream_options: one member added before the closing brace, nothing else moves
        { """{"model":"gpt-4o","stream":true,"messages":[]}""", """{"model":"gpt-4o","stream":true,"messages":[],"stream_options":{"include_usage":true}}""" },
        { "{ \"stream\" : true ,\n  \"model\":\"m\"\n}\n", "{ \"stream\" : true ,\n  \"model\":\"m\"\n,\"stream_options\":{\"include_usage\":true}}\n" },
        // stream_options with other members keeps them
        { """{"stream":true,"stream_options":{"obfuscation":false}}""", """{"stream":true,"stream_options":{"include_usage":true,"obfuscation":false}}""" },
        { """{"stream":true,"stream_options":{ }}""", """{"stream":true,"stream_options":{"include_usage":true }}""" },
        // include_usage false or stream_options null: the value is replaced in place
        { """{"stream":true,"stream_options":{"include_usage":false,"x":1}}""", """{"stream":true,"stream_options":{"include_usage":true,"x":1}}""" },
        { """{"stream_options":null,"stream":true}""", """{"stream_options":{"include_usage":true},"stream":true}""" },
        // keys written with escapes are the same keys
        { """{"str\u0065am":true,"stream\u005foptions":{"include\u005fusage":false}}""", """{"str\u0065am":true,"stream\u005foptions":{"include\u005fusage":true}}""" },
        // stream_options nested elsewhere is not the request's
        { """{"metadata":{"stream_options":{"include_usage":true}},"stream":true}""", """{"metadata":{"stream_options":{"include_usage":true}},"stream":true,"stream_options":{"include_usage":true}}""" },
    };

    [Theory]
    [MemberData(nameof(Edits))]
    public void TryInject_StreamWithoutUsage_MinimalEdit(string body, string expected)
    {
        var (edit, edited) = Inject(body);

        Assert.Equal(StreamOptionsEdit.Injected, edit);
        Assert.Equal(expected, edited);
        using var parsed = JsonDocument.Parse(edited!);
        Assert.True(parsed.RootElement.GetProperty("stream_options").GetProperty("include_usage").GetBoolean());
    }

    [Theory]
    [InlineData("""{"stream":true,"stream_options":{"include_usage":true}}""")]
    [InlineData("""{"stream":false}""")]
    [InlineData("""{"model":"m"}""")]
    [InlineData("""{"stream":"true"}""")]
    public void TryInject_NotAStreamOrUsageAlreadyAsked_NotNeeded(string body)
    {
        Assert.Equal((StreamOptionsEdit.NotNeeded, null), Inject(body));
    }

    [Theory]
    [InlineData("""{"stream":true,"stream":false}""")]                                                    // duplicate stream
    [InlineData("""{"stream":true,"stream_options":{},"stream_options":{}}""")]                          // duplicate stream_options
    [InlineData("""{"stream":true,"stream_options":{"include_usage":false,"include_usage":false}}""")]  // duplicate include_usage
    [InlineData("""{"stream":true,"stream_options":"yes"}""")]
    [InlineData("""{"stream":true,"stream_options":{"include_usage":"yes"}}""")]
    [InlineData("""{"stream":true""")]
    [InlineData("""{"stream":true} {}""")]
    [InlineData("""[{"stream":true}]""")]
    [InlineData("")]
    [InlineData("""{"\ud800":1,"stream":true}""")]                                                   // lone surrogate escape (found by the property test)
    public void TryInject_AmbiguousOrBroken_UnsafeAndUntouched(string body)
    {
        Assert.Equal((StreamOptionsEdit.Unsafe, null), Inject(body));
    }
}
