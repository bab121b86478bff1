using System.Text;
using System.Text.Json;
using Glassbox.Gateway.Tests.Infrastructure;

namespace Glassbox.Gateway.Tests.Memory;

/// <summary>The collector settings the gateway ships with, as its runtime configuration carries them (the AOT build embeds the same file).</summary>
public sealed class GcSettingsTests
{
    [Fact]
    public void RuntimeConfig_WorkstationNonConcurrentWithGen0BudgetCappedAt6MB()
    {
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Glassbox.Gateway.runtimeconfig.json")));
        var properties = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.Equal(6L << 20, properties.GetProperty("System.GC.Gen0MaxBudget").GetInt64());
        Assert.False(properties.GetProperty("System.GC.Server").GetBoolean());
        Assert.False(properties.GetProperty("System.GC.Concurrent").GetBoolean());
    }

    /// <summary>
    /// The collector reads its generation-1 cap from no runtimeconfig name, so the native executable carries it in its
    /// compiled-in settings (key and value as strings, the value hex): without it a load after a burst keeps tens of MB in generation 1.
    /// </summary>
    [NativeExecutableFact]
    public void NativeExecutable_CarriesTheGen1BudgetCapOf4MB()
    {
        var executable = File.ReadAllBytes(GatewayProcess.ExternalBinary!);

        Assert.True(
            executable.AsSpan().IndexOf(Encoding.ASCII.GetBytes("GCGen1MaxBudget\0400000\0")) >= 0,
            "the executable has no compiled-in GCGen1MaxBudget=400000 (IlcArg --runtimeopt in Gateway.csproj)");
    }
}
