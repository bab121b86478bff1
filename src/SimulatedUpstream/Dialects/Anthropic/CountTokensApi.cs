using Glassbox.SimulatedUpstream.Calls;
using Glassbox.SimulatedUpstream.Generation;

namespace Glassbox.SimulatedUpstream.Dialects.Anthropic;

/// <summary><c>POST /v1/messages/count_tokens</c> → <c>{"input_tokens":N}</c>.</summary>
internal sealed class CountTokensApi : UnpacedApi
{
    public static readonly CountTokensApi Instance = new();

    public override Provider Provider => AnthropicProvider.Instance;

    public override byte[] CompleteBody(CallContext call) => JsonText.Build(w =>
    {
        w.WriteStartObject();
        w.WriteNumber("input_tokens", call.Plan.InputTokens);
        w.WriteEndObject();
    });
}
