namespace Glassbox.Gateway.Lifecycle;

/// <summary><c>Glassbox:Shutdown</c>: how the gateway drains on SIGTERM.</summary>
public sealed class ShutdownOptions
{
    public const string SectionName = "Glassbox:Shutdown";

    /// <summary>Extra time the host gets after the drain to flush telemetry before it gives up.</summary>
    public static readonly TimeSpan FlushAllowance = TimeSpan.FromSeconds(30);

    /// <summary>How long new requests are still accepted after shutdown began (endpoints updating); 0 for a sidecar.</summary>
    public TimeSpan DrainDelay { get; set; } = TimeSpan.Zero;

    /// <summary>How long calls in flight may still run once the listener closed; streams still open then are ended.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The host's own shutdown timeout: above delay and drain, so it never cuts a drain short.</summary>
    public TimeSpan HostShutdownTimeout => DrainDelay + DrainTimeout + FlushAllowance;
}
