using Glassbox.Gateway.Requests;

namespace Glassbox.Gateway.UsageInjection;

/// <summary>
/// One call's usage injection: decided before the first attempt, withdrawn at most once (when the upstream rejects
/// the edited body). <see cref="Injected"/> is what <c>glassbox.usage_injected</c> reports at the end.
/// </summary>
internal sealed class CallUsageInjection(BufferedRequestBody? editedBody)
{
    /// <summary>The body to forward while the injection stands; null when the call was not injected or it was withdrawn.</summary>
    public BufferedRequestBody? EditedBody { get; private set; } = editedBody;

    /// <summary>The forwarded body asks for usage, so the client's stream must be filtered.</summary>
    public bool Active => EditedBody is not null;

    /// <summary>The upstream answered the injected body with 400 and the call was sent again as the client wrote it.</summary>
    public bool Withdrawn { get; private set; }

    /// <summary>True: the answer the client got was for an injected body; false: injection was wanted but not made.</summary>
    public bool Injected => Active;

    public void Withdraw()
    {
        EditedBody = null;
        Withdrawn = true;
    }
}
