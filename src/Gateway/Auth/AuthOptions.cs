namespace Glassbox.Gateway.Auth;

/// <summary><c>Glassbox:Auth</c>: who may call the gateway.</summary>
public sealed class AuthOptions
{
    /// <summary>Gateway keys callers present where their SDK puts an API key. Empty (and no <see cref="KeysFile"/>): no inbound check.</summary>
    public List<string> Keys { get; } = [];

    /// <summary>A file of hashed keys (<c>id sha256:hex</c> per line), re-read when it changes so keys rotate without a restart.</summary>
    public string? KeysFile { get; set; }

    /// <summary>How often <see cref="KeysFile"/> is checked for changes.</summary>
    public TimeSpan KeysFileReloadInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Run with an upstream <c>ApiKey</c> on a non-loopback address and no inbound keys (anyone who reaches the gateway uses that key).</summary>
    public bool AllowAnonymousKeyInjection { get; set; }
}
