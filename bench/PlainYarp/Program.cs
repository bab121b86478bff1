using Yarp.ReverseProxy.Configuration;

namespace Glassbox.Bench.PlainYarp;

/// <summary>
/// The benchmark baseline: a minimal YARP reverse proxy that forwards every path to one upstream.
/// No telemetry, no logging. Upstream: <c>--upstream URL</c> or <c>PLAINYARP_UPSTREAM</c>;
/// listen address: <c>--urls</c> / <c>ASPNETCORE_URLS</c> (default http://127.0.0.1:8081).
/// </summary>
public static class Program
{
    public static async Task Main(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        var upstream = builder.Configuration["upstream"]
            ?? Environment.GetEnvironmentVariable("PLAINYARP_UPSTREAM")
            ?? "http://127.0.0.1:9100";
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["http_ports"]))
        {
            builder.WebHost.UseUrls("http://127.0.0.1:8081");
        }

        // The Kestrel settings of src/Gateway/GatewayApp.cs that matter for forwarding.
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.AddServerHeader = false;
        });
        builder.Logging.ClearProviders();

        builder.Services.AddReverseProxy().LoadFromMemory(
            [
                new RouteConfig
                {
                    RouteId = "all",
                    ClusterId = "upstream",
                    Match = new RouteMatch { Path = "{**catch-all}" },
                },
            ],
            [
                new ClusterConfig
                {
                    ClusterId = "upstream",
                    Destinations = new Dictionary<string, DestinationConfig>(StringComparer.Ordinal)
                    {
                        ["upstream"] = new DestinationConfig { Address = upstream },
                    },
                },
            ]);

        await using var app = builder.Build();
        app.MapReverseProxy();
        await app.RunAsync();
    }
}
