using Glassbox.Gateway.Configuration;
using Microsoft.Extensions.Options;

namespace Glassbox.Gateway.Auth;

internal enum AnonymousRelayVerdict
{
    Allow,

    /// <summary>Allowed by <c>AllowAnonymousKeyInjection</c>, logged as a warning at every start.</summary>
    Warn,
    Refuse,
}

/// <summary>
/// Refuses to start an open key relay: an upstream <c>ApiKey</c> that any caller gets, on an address
/// others can reach, with no inbound keys. Loopback-only (a sidecar) or inbound keys make it safe;
/// <c>Glassbox:Auth:AllowAnonymousKeyInjection=true</c> is the operator saying a network boundary does.
/// </summary>
internal sealed class AnonymousRelayGuard(IReadOnlyList<string> listenUrls) : IValidateOptions<GlassboxOptions>
{
    public static AnonymousRelayVerdict Check(IReadOnlyList<string> listenUrls, IReadOnlyCollection<string> upstreamsWithKeys, bool inboundKeys, bool allowAnonymous)
    {
        if (upstreamsWithKeys.Count == 0 || inboundKeys || ListenAddresses.IsLoopbackOnly(listenUrls))
        {
            return AnonymousRelayVerdict.Allow;
        }

        return allowAnonymous ? AnonymousRelayVerdict.Warn : AnonymousRelayVerdict.Refuse;
    }

    public static IReadOnlyCollection<string> UpstreamsWithKeys(GlassboxOptions options) =>
        options.Upstreams.Where(u => !string.IsNullOrEmpty(u.Value.ApiKey)).Select(u => u.Key).ToArray();

    public static bool HasInboundKeys(GlassboxOptions options) =>
        options.Auth.Keys.Any(k => !string.IsNullOrEmpty(k)) || !string.IsNullOrEmpty(options.Auth.KeysFile);

    public IReadOnlyList<string> ListenUrls => listenUrls;

    public ValidateOptionsResult Validate(string? name, GlassboxOptions options)
    {
        var keyed = UpstreamsWithKeys(options);
        if (Check(listenUrls, keyed, HasInboundKeys(options), options.Auth.AllowAnonymousKeyInjection) != AnonymousRelayVerdict.Refuse)
        {
            return ValidateOptionsResult.Success;
        }

        var keys = string.Join(", ", keyed.Select(u => $"Glassbox:Upstreams:{u}:ApiKey"));
        return ValidateOptionsResult.Fail(
            $"{keys} is set and the gateway listens on {string.Join(", ", listenUrls)}, reachable from other machines, with no inbound keys: "
            + "anyone who reaches it would call the upstream with the operator's key. Set Glassbox:Auth:Keys or Glassbox:Auth:KeysFile, "
            + "listen on loopback only, or set Glassbox:Auth:AllowAnonymousKeyInjection=true if a network boundary already restricts callers.");
    }
}
