using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Glassbox.Gateway.Attribution;

/// <summary>
/// Reads who a call is for, without any change in the calling app. Each attribute comes from the first source that
/// has it: the <c>x-glassbox-*</c> request headers, then W3C <c>baggage</c> (<c>glassbox.app</c>,
/// <c>glassbox.endpoint</c>, <c>user.id</c> and the configured <c>BaggageKeys</c>); the API key gives
/// <c>glassbox.api_key.id</c> and its alias. Values are cleaned (<see cref="AttributionValue"/>); nothing here ever
/// fails a call.
/// </summary>
internal sealed class AttributionReader
{
    private const int MaxTagNameLength = 64;
    private const int MaxTags = 16;
    private readonly AttributionOptions _options;
    private readonly HashSet<string> _baggageTagKeys;
    private readonly ApiKeyId _keyId;

    public AttributionReader(IOptions<AttributionOptions> options)
    {
        _options = options.Value;
        _baggageTagKeys = new HashSet<string>(_options.BaggageKeys, StringComparer.Ordinal);
        _keyId = new ApiKeyId(_options.KeyIdSecret);
    }

    /// <param name="presentedKey">The API key the caller sent, if any (used only to derive its id).</param>
    /// <param name="gatewayKeyId">The id of the inbound gateway key the caller presented, when gateway keys are on.</param>
    public CallAttribution Read(HttpRequest request, string? presentedKey, string? gatewayKeyId)
    {
        var headers = request.Headers;
        string? app = Header(headers, AttributionNames.AppHeader), endpoint = Header(headers, AttributionNames.EndpointHeader), user = Header(headers, AttributionNames.UserHeader);
        var tags = new List<KeyValuePair<string, string>>();
        foreach (var (name, values) in headers)
        {
            if (name.StartsWith(AttributionNames.TagHeaderPrefix, StringComparison.OrdinalIgnoreCase)
                && CleanTagName(name[AttributionNames.TagHeaderPrefix.Length..]) is { } tag
                && AttributionValue.Clean(values.ToString()) is { } value)
            {
                AddTag(tags, tag, value);
            }
        }

        if (headers.TryGetValue("baggage", out var baggage))
        {
            var fromBaggage = new Dictionary<string, string>(StringComparer.Ordinal);
            if (Baggage.TryRead(baggage, key => key is AttributionNames.AppBaggage or AttributionNames.EndpointBaggage or AttributionNames.UserBaggage || _baggageTagKeys.Contains(key),
                (key, value) => fromBaggage.TryAdd(key, value)))
            {
                app ??= Clean(fromBaggage, AttributionNames.AppBaggage);
                endpoint ??= Clean(fromBaggage, AttributionNames.EndpointBaggage);
                user ??= Clean(fromBaggage, AttributionNames.UserBaggage);
                foreach (var key in _options.BaggageKeys)
                {
                    if (Clean(fromBaggage, key) is { } value && CleanTagName(key) is { } tag)
                    {
                        AddTag(tags, tag, value);
                    }
                }
            }
        }

        var keyId = gatewayKeyId ?? _keyId.Of(presentedKey);
        var alias = keyId is not null && _options.KeyAliases.TryGetValue(keyId, out var aliasName) ? AttributionValue.Clean(aliasName) : null;
        var userAgent = headers.TryGetValue(HeaderNames.UserAgent, out var agent) ? AttributionValue.Clean(agent.ToString()) : null;
        return app is null && endpoint is null && user is null && tags.Count == 0 && keyId is null && userAgent is null
            ? CallAttribution.None
            : new CallAttribution(app, endpoint, user, tags, keyId, alias, userAgent);
    }

    /// <summary>A tag name as it appears in <c>glassbox.tag.{name}</c>: lower case letters, digits, <c>_ - .</c>; else null.</summary>
    public static string? CleanTagName(string raw)
    {
        if (raw.Length is 0 or > MaxTagNameLength)
        {
            return null;
        }

        var lower = raw.ToLowerInvariant();
        return lower.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '-' or '.') ? lower : null;
    }

    private static void AddTag(List<KeyValuePair<string, string>> tags, string name, string value)
    {
        if (tags.Count < MaxTags && !tags.Exists(t => t.Key == name))
        {
            tags.Add(new(name, value));
        }
    }

    private static string? Header(IHeaderDictionary headers, string name) =>
        headers.TryGetValue(name, out var value) ? AttributionValue.Clean(value.ToString()) : null;

    private static string? Clean(Dictionary<string, string> values, string key) =>
        values.TryGetValue(key, out var value) ? AttributionValue.Clean(value) : null;
}
