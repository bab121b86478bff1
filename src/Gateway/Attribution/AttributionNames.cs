namespace Glassbox.Gateway.Attribution;

/// <summary>The attribution span attributes, request headers and baggage keys (mirrored in the README).</summary>
internal static class AttributionNames
{
    public const string App = "glassbox.app";
    public const string Endpoint = "glassbox.endpoint";
    public const string User = "user.id";
    public const string TagPrefix = "glassbox.tag.";
    public const string ApiKeyId = "glassbox.api_key.id";
    public const string ApiKeyAlias = "glassbox.api_key.alias";
    public const string UserAgent = "user_agent.original";

    /// <summary>Every request header starting with this is the gateway's and is removed before forwarding.</summary>
    public const string HeaderPrefix = "x-glassbox-";
    public const string AppHeader = "x-glassbox-app";
    public const string EndpointHeader = "x-glassbox-endpoint";
    public const string UserHeader = "x-glassbox-user";
    public const string TagHeaderPrefix = "x-glassbox-tag-";

    public const string AppBaggage = "glassbox.app";
    public const string EndpointBaggage = "glassbox.endpoint";
    public const string UserBaggage = "user.id";

    /// <summary>Names a metric dimension may take: the fixed attributes and any tag.</summary>
    public static bool IsAttribute(string name) =>
        name is App or Endpoint or User or ApiKeyId or ApiKeyAlias
        || (name.StartsWith(TagPrefix, StringComparison.Ordinal) && AttributionReader.CleanTagName(name[TagPrefix.Length..]) == name[TagPrefix.Length..]);
}
