using Glassbox.Gateway.Auth;
using Glassbox.Gateway.Configuration;

namespace Glassbox.Gateway.Dialects;

/// <summary>
/// What an upstream's <see cref="UpstreamOptions.Api"/> family decides: its routes (and the dialect each speaks),
/// where its SDKs put their key, how the gateway sends the upstream's key, and its built-in upstream.
/// </summary>
internal interface IApiFamily
{
    ApiFamily Id { get; }

    /// <summary>The upstream that exists without configuration (its name is the family's name).</summary>
    BuiltInUpstream BuiltIn { get; }

    /// <summary>POST routes relative to the upstream's path prefix; a null dialect is forwarded with an ordinary HTTP span.</summary>
    IReadOnlyList<DialectRoute> Routes { get; }

    /// <summary>Route templates (any method) the family claims without observing them, beyond <see cref="Routes"/>.</summary>
    IReadOnlyList<string> ForwardedOnly => [];

    /// <summary>The dialect of the gateway's own answers on routes that observe nothing (e.g. a 401 for a missing gateway key).</summary>
    IApiDialect ErrorDialect { get; }

    /// <summary>Where the family's SDKs put their API key, in the order they are looked for.</summary>
    IReadOnlyList<InboundKeyLocation> KeyLocations { get; }

    /// <summary>The header the upstream's configured key is sent in.</summary>
    string CredentialHeader { get; }

    /// <summary>That header's value for <paramref name="apiKey"/> (e.g. <c>Bearer ...</c>).</summary>
    string CredentialValue(string apiKey);
}

/// <param name="Path">Route template, e.g. <c>/v1/messages</c>.</param>
/// <param name="Dialect">Null: forwarded, not observed.</param>
internal sealed record DialectRoute(string Path, IApiDialect? Dialect);

/// <param name="BaseUrl">Default <c>Glassbox:Upstreams:{name}:BaseUrl</c>.</param>
/// <param name="Provider">Default <c>gen_ai.provider.name</c>.</param>
internal sealed record BuiltInUpstream(string BaseUrl, string Provider);
