namespace Glassbox.Gateway.Auth;

/// <summary>One accepted gateway key: its id (safe to record as <c>glassbox.api_key.id</c>) and the SHA-256 of the key.</summary>
internal sealed record GatewayKey(string Id, byte[] Sha256);
