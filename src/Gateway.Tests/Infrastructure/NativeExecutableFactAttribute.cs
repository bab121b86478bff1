namespace Glassbox.Gateway.Tests.Infrastructure;

/// <summary>
/// A <see cref="FactAttribute"/> for facts about the published Native AOT executable: skipped, with the reason, unless
/// <see cref="GatewayProcess.ExternalBinaryVariable"/> names one (the AOT group of <c>.ci/run</c> sets it).
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class NativeExecutableFactAttribute : FactAttribute
{
    public NativeExecutableFactAttribute()
    {
        if (GatewayProcess.ExternalBinary is null)
        {
            Skip = $"needs the published executable in {GatewayProcess.ExternalBinaryVariable} (the AOT group of .ci/run)";
        }
    }
}
