using System.Text;
using CsCheck;
using Glassbox.Gateway.Dialects;
using Glassbox.Gateway.Requests;
using Glassbox.Gateway.Telemetry;
using Glassbox.Gateway.Tests.Infrastructure;

namespace Glassbox.Gateway.Tests.Requests;

/// <summary>Properties of the request facts reader over mutated request bodies: it answers (facts or "not JSON"), never throws, keeps its caps.</summary>
public sealed class RequestFactsReaderProperties
{
    private static readonly byte[][] Seeds =
    [
        .. new[] { "v1/messages", "v1/chat/completions", "v1/responses" }.Select(p => Encoding.UTF8.GetBytes(AiRequests.Body(p, "claude-sonnet-4-5", stream: true))),
        .. FuzzCorpus.Files("requests").Select(File.ReadAllBytes),
    ];

    public static TheoryData<string, bool> DialectsAndCapture() => new()
    {
        { nameof(ApiDialects.AnthropicMessages), false },
        { nameof(ApiDialects.AnthropicMessages), true },
        { nameof(ApiDialects.OpenAIChatCompletions), false },
        { nameof(ApiDialects.OpenAIResponses), true },
    };

    [Theory]
    [MemberData(nameof(DialectsAndCapture))]
    public void TryRead_MutatedBody_NeverThrowsAndKeepsPeerStringsBounded(string dialectName, bool capture)
    {
        var dialect = ApiDialects.ByName(dialectName);
        HostileInput.MutatedOneOf(Seeds, 8).Sample(bytes =>
        {
            var facts = dialect.ReadRequest(bytes, "", capture);

            if (facts?.Model is { } model)
            {
                Assert.True(model.Length <= TelemetryText.MaxNameChars);
                Assert.DoesNotContain(model, char.IsControl);
            }

            Assert.True((facts?.StopSequences?.Length ?? 0) <= TelemetryText.MaxListItems);
        }, iter: 3000, print: HostileInput.Show);
    }
}
