namespace Glassbox.Gateway.Auth;

/// <summary>Set on a request whose gateway key was accepted: its id, never the key.</summary>
internal sealed record GatewayKeyFeature(string KeyId);
