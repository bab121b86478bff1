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
/// The common key locations, and the lookup over an API family's list of them
/// (<see cref="Dialects.IApiFamily.KeyLocations"/>, in the order they are looked for).
/// </summary>
internal static class InboundKeyLocations
{
    public static InboundKeyLocation XApiKey { get; } = new(InboundKeyPlace.Header, "x-api-key");

    public static InboundKeyLocation Bearer { get; } = new(InboundKeyPlace.BearerHeader, HeaderNames.Authorization);

    /// <summary>The first key the caller presented, or null.</summary>
    public static string? Find(HttpRequest request, Dialects.IApiFamily family)
    {
        foreach (var location in family.KeyLocations)
        {
            if (location.Read(request) is { Length: > 0 } key)
            {
                return key;
            }
        }

        return null;
    }
}
