using Glassbox.Gateway.Configuration;
using Microsoft.Net.Http.Headers;

namespace Glassbox.Gateway.Auth;

/// <summary>Where a caller's SDK puts its API key: a header (optionally after <c>Bearer </c>) or a query parameter.</summary>
internal sealed record InboundKeyLocation(InboundKeyPlace Place, string Name)
{
    private const string BearerPrefix = "Bearer ";

    public string? Read(HttpRequest request)
    {
        switch (Place)
        {
            case InboundKeyPlace.Header:
                return request.Headers.TryGetValue(Name, out var value) && value.Count == 1 ? value[0] : null;
            case InboundKeyPlace.BearerHeader:
                return request.Headers.TryGetValue(Name, out var auth) && auth.Count == 1 && auth[0] is { } bearer
                    && bearer.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase) ? bearer[BearerPrefix.Length..].Trim() : null;
            default:
                return request.Query.TryGetValue(Name, out var query) && query.Count == 1 ? query[0] : null;
        }
    }
}

internal enum InboundKeyPlace
{
    Header,
    BearerHeader,

    /// <summary>A query parameter (Gemini's <c>?key=</c>); the forwarded URL must then drop it.</summary>
    Query,
}

/// <summary>
/// Where each API family's SDKs put their key, in the order they are looked for. A Gemini family adds
/// <c>x-goog-api-key</c> and <c>?key=</c> here (and its key injection writes <c>x-goog-api-key</c>).
/// </summary>
internal static class InboundKeyLocations
{
    private static readonly InboundKeyLocation XApiKey = new(InboundKeyPlace.Header, "x-api-key");
    private static readonly InboundKeyLocation Bearer = new(InboundKeyPlace.BearerHeader, HeaderNames.Authorization);

    // Anthropic SDKs send x-api-key, or Authorization: Bearer in auth-token mode; OpenAI SDKs send a bearer token.
    private static readonly InboundKeyLocation[] Anthropic = [XApiKey, Bearer];
    private static readonly InboundKeyLocation[] OpenAI = [Bearer, XApiKey];

    public static IReadOnlyList<InboundKeyLocation> For(ApiFamily api) => api switch
    {
        ApiFamily.Anthropic => Anthropic,
        _ => OpenAI,
    };

    /// <summary>The first key the caller presented, or null.</summary>
    public static string? Find(HttpRequest request, ApiFamily api)
    {
        foreach (var location in For(api))
        {
            if (location.Read(request) is { Length: > 0 } key)
            {
                return key;
            }
        }

        return null;
    }
}
