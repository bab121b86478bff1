namespace Glassbox.Gateway.Tests.Infrastructure;

/// <summary>A <see cref="FactAttribute"/> skipped, with the reason, when the Node.js SDKs cannot run (see <see cref="NodeClients"/>).</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class NodeFactAttribute : FactAttribute
{
    public NodeFactAttribute()
    {
        if (NodeClients.SkipReason is { } reason)
            Skip = reason;
    }
}
