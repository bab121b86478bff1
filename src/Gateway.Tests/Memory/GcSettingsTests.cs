using System.Text.Json;

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
}
