namespace Glassbox.Gateway.Attribution;

/// <summary>Who a call is for, read once from the request: every value cleaned, any of them may be absent.</summary>
internal sealed record CallAttribution(
    string? App,
    string? Endpoint,
    string? User,
    IReadOnlyList<KeyValuePair<string, string>> Tags,
    string? ApiKeyId,
    string? ApiKeyAlias,
    string? UserAgent)
{
    public static readonly CallAttribution None = new(null, null, null, [], null, null, null);

    /// <summary>The value of one attribution attribute by its span attribute name (null when absent).</summary>
    public string? ValueOf(string attribute) => attribute switch
    {
        AttributionNames.App => App,
        AttributionNames.Endpoint => Endpoint,
        AttributionNames.User => User,
        AttributionNames.ApiKeyId => ApiKeyId,
        AttributionNames.ApiKeyAlias => ApiKeyAlias,
        _ when attribute.StartsWith(AttributionNames.TagPrefix, StringComparison.Ordinal) => Tag(attribute[AttributionNames.TagPrefix.Length..]),
        _ => null,
    };

    private string? Tag(string name)
    {
        foreach (var (key, value) in Tags)
        {
            if (key == name)
            {
                return value;
            }
        }

        return null;
    }
}
