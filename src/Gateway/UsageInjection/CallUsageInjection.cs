using Glassbox.Gateway.Requests;

namespace Glassbox.Gateway.UsageInjection;

/// <summary>
/// One call's usage injection: decided before the first attempt, withdrawn at most once (when the upstream rejects
/// the edited body). <see cref="Active"/> at the end is what <c>glassbox.usage_injected</c> reports.
/// </summary>
internal sealed class CallUsageInjection(BufferedRequestBody? editedBody)
{
    /// <summary>The body to forward while the injection stands; null when the call was not injected or it was withdrawn.</summary>
    public BufferedRequestBody? EditedBody { get; private set; } = editedBody;

    /// <summary>
    /// The forwarded body asks for usage, so the client's stream must be filtered; false when injection was wanted
    /// but not made, or withdrawn after the upstream rejected it.
    /// </summary>
    public bool Active => EditedBody is not null;

    /// <summary>The upstream answered the injected body with 400: the call is sent again as the client wrote it.</summary>
    public void Withdraw() => EditedBody = null;
}
