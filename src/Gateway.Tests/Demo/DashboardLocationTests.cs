using System.Reflection;
using Glassbox.Demo;

namespace Glassbox.Gateway.Tests.Demo;

/// <summary>The demo finds the Aspire dashboard where NuGet put it on the machine that runs it, not the one that built it.</summary>
public sealed class DashboardLocationTests
{
    [Fact]
    public void DemoAssembly_Metadata_HoldsNoPathOfTheBuildMachine()
    {
        var values = typeof(AspireDashboardProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Select(a => a.Value ?? "");

        Assert.DoesNotContain(values, value => Path.IsPathRooted(value));
    }

    [Fact]
    public void ResolveExecutablePath_NuGetPackagesVariable_FoundUnderIt()
    {
        var root = Path.Combine(Path.GetTempPath(), $"glassbox-nuget-{Guid.NewGuid():N}");
        var environment = new Dictionary<string, string?> { ["NUGET_PACKAGES"] = root, ["HOME"] = "/nonexistent-home" };

        var path = AspireDashboardProcess.ResolveExecutablePath(name => environment.GetValueOrDefault(name));

        Assert.StartsWith(root, path, StringComparison.Ordinal);
        Assert.EndsWith(Path.Combine("tools", "Aspire.Dashboard"), path, StringComparison.Ordinal);
    }

    [Fact]
    public void ResolveExecutablePath_NoVariables_UnderTheUsersDefaultNuGetFolder()
    {
        var environment = new Dictionary<string, string?> { ["HOME"] = "/home/someone" };

        var path = AspireDashboardProcess.ResolveExecutablePath(name => environment.GetValueOrDefault(name));

        Assert.StartsWith("/home/someone/.nuget/packages/aspire.dashboard.sdk.linux-x64/", path, StringComparison.Ordinal);
    }

    [Fact]
    public void ResolveExecutablePath_Override_Wins()
    {
        var environment = new Dictionary<string, string?> { ["ASPIRE_DASHBOARD_PATH"] = "/opt/dashboard/Aspire.Dashboard", ["NUGET_PACKAGES"] = "/somewhere" };

        Assert.Equal("/opt/dashboard/Aspire.Dashboard", AspireDashboardProcess.ResolveExecutablePath(name => environment.GetValueOrDefault(name)));
    }
}
