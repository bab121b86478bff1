using Glassbox.SimulatedUpstream.Calls;
using Glassbox.SimulatedUpstream.Dialects;
using Glassbox.SimulatedUpstream.Hosting;
using Glassbox.SimulatedUpstream.Stats;

namespace Glassbox.SimulatedUpstream;

/// <summary>Builds the simulated upstream, runnable on its own or in-process from tests and benchmarks.</summary>
public static class SimulatorApp
{
    /// <param name="args">Command line, e.g. <c>["--urls", "http://127.0.0.1:0"]</c>.</param>
    /// <param name="configure">Runs last, before <c>Build()</c>: may add configuration or replace services (e.g. <see cref="TimeProvider"/>).</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(HttpsSetup.Apply);

        builder.Services.Configure<SimulatorOptions>(builder.Configuration.GetSection(SimulatorOptions.SectionName));
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<SimulatorStats>();
        builder.Services.AddSingleton<SimulatorCertificate>();
        builder.Services.AddSingleton<CallRunner>();

        configure?.Invoke(builder);

        var app = builder.Build();
        app.MapSimulatedApis();
        app.MapStatsEndpoints();
        return app;
    }
}
