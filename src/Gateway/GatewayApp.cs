using Glassbox.Gateway.Auth;
using Glassbox.Gateway.Configuration;
using Glassbox.Gateway.Dialects;
using Glassbox.Gateway.Forwarding;
using Glassbox.Gateway.Ingress;
using Glassbox.Gateway.Lifecycle;
using Glassbox.Gateway.Logging;
using Glassbox.Gateway.Pricing;
using Glassbox.Gateway.Telemetry;
using Glassbox.Gateway.Telemetry.Prometheus;
using Microsoft.Extensions.Options;
using Yarp.ReverseProxy.Configuration;

namespace Glassbox.Gateway;

/// <summary>Composition root: the gateway as a <see cref="WebApplication"/>, for Program and for tests.</summary>
public static class GatewayApp
{
    /// <summary>Defaults below appsettings.json, environment variables and the command line (log levels: <see cref="LogLevelSettings"/>).</summary>
    private static readonly Dictionary<string, string?> Defaults = new(BuiltInUpstreams())
    {
        ["Glassbox:DefaultUpstream"] = "Anthropic",
        ["Serilog:MinimumLevel:Default"] = "Information",
        ["Serilog:MinimumLevel:Override:Microsoft.AspNetCore"] = "Warning",
        ["Serilog:MinimumLevel:Override:Microsoft.Hosting.Lifetime"] = "Information",
        ["Serilog:MinimumLevel:Override:Yarp"] = "Warning",
        ["Serilog:MinimumLevel:Override:System.Net.Http"] = "Warning",
    };

    /// <summary>Each API family's built-in upstream, named after the family.</summary>
    private static IEnumerable<KeyValuePair<string, string?>> BuiltInUpstreams() =>
        ApiDialects.Families.SelectMany(family => new KeyValuePair<string, string?>[]
        {
            new($"Glassbox:Upstreams:{family.Id}:BaseUrl", family.BuiltIn.BaseUrl),
            new($"Glassbox:Upstreams:{family.Id}:Provider", family.BuiltIn.Provider),
            new($"Glassbox:Upstreams:{family.Id}:Api", family.Id.ToString()),
        });

    /// <param name="args">Command line.</param>
    /// <param name="configure">Last word on services, after the gateway's own registrations.</param>
    /// <param name="settings">Configuration over every other source, present before anything reads it.</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null, IEnumerable<KeyValuePair<string, string?>>? settings = null)
    {
        // appsettings.json is read once: every option is bound at start-up. Watching it for changes would put an inotify
        // watch on every directory under the working directory, which costs start-up time in proportion to that tree.
        var builder = WebApplication.CreateSlimBuilder(["--hostBuilder:reloadConfigOnChange=false", .. args]);
        builder.Configuration.Sources.Insert(0, new Microsoft.Extensions.Configuration.Memory.MemoryConfigurationSource { InitialData = Defaults });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["http_ports"]))
        {
            builder.WebHost.UseUrls("http://0.0.0.0:8080");
        }

        MetricsEndpoint.AddManagementListener(builder);

        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            // AI routes enforce Glassbox:MaxRequestBodyBytes themselves; other routes stream through.
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.AddServerHeader = false;
        });

        builder.Services.AddOptions<GlassboxOptions>()
            .BindConfiguration(GlassboxOptions.SectionName)
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<GlassboxOptions>, GlassboxOptionsValidator>();
        var relayGuard = new AnonymousRelayGuard(ListenAddresses.From(builder.Configuration));
        builder.Services.AddSingleton(relayGuard);
        builder.Services.AddSingleton<IValidateOptions<GlassboxOptions>>(relayGuard);
        builder.Services.AddSingleton<GatewayKeyStore>();
        builder.Services.AddSingleton<IConfigureOptions<PricingOptions>, PricingOptionsSetup>();
        builder.Services.AddSingleton<IValidateOptions<PricingOptions>, PricingOptionsValidator>();
        builder.Services.AddOptions<PricingOptions>().ValidateOnStart();
        AddLifecycle(builder.Services);
        builder.Services.AddOptions<TrustedProxiesOptions>().BindConfiguration(TrustedProxiesOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<TrustedProxiesOptions>, TrustedProxiesOptionsValidator>();
        builder.Services.AddSingleton<KnownNetworks>();

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddOptions<Memory.MemoryOptions>().BindConfiguration(Memory.MemoryOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<Memory.MemoryOptions>, Memory.MemoryOptionsValidator>();
        builder.Services.AddSingleton<Memory.IManagedHeap, Memory.RuntimeManagedHeap>();
        builder.Services.AddHostedService<Memory.IdleMemoryTrimmer>();
        builder.Services.AddSingleton<RouteTable>();
        builder.Services.AddOptions<Attribution.AttributionOptions>().BindConfiguration(Attribution.AttributionOptions.SectionName).ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<Attribution.AttributionOptions>, Attribution.AttributionOptionsValidator>();
        builder.Services.AddSingleton<Attribution.AttributionReader>();
        builder.Services.AddSingleton<UsageInjection.UsageInjector>();
        builder.Services.AddSingleton<PriceTable>();
        builder.Services.AddHostedService<PriceFileReloader>();
        builder.Services.AddSingleton<GatewayInstrumentation>();
        builder.Services.AddOptions<Telemetry.Cardinality.MetricDimensionOptions>()
            .BindConfiguration(Telemetry.Cardinality.MetricDimensionOptions.SectionName)
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<Telemetry.Cardinality.MetricDimensionOptions>, Telemetry.Cardinality.MetricDimensionOptionsValidator>();
        builder.Services.AddSingleton(services => new Telemetry.Cardinality.DimensionLimits(
            services.GetRequiredService<IOptions<Telemetry.Cardinality.MetricDimensionOptions>>().Value.MaxValuesPerDimension,
            services.GetRequiredService<GatewayInstrumentation>().DimensionOverflow));
        builder.Services.AddSingleton<Attribution.AttributionDimensions>();
        builder.Services.AddSingleton<CallTelemetry>();
        builder.Services.AddSingleton<Resilience.UpstreamPipelines>();
        builder.Services.AddSingleton<RateLimitHeadroom>();
        builder.Services.AddSingleton(services => new PhaseSpans(services.GetRequiredService<GatewayInstrumentation>().ActivitySource, services.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<Yarp.ReverseProxy.Forwarder.IForwarderHttpClientFactory, PhaseTimingHttpClientFactory>();
        builder.Services.AddSingleton<IProxyConfigProvider, RouteTableConfigProvider>();
        builder.Services.AddReverseProxy().AddTransforms(AddCallTransforms);

        // One rendering per line, the console write off the request path, key query parameters redacted first (Logging/).
        builder.AddGlassboxLogging();

        configure?.Invoke(builder);

        // After `configure`, so an OTLP endpoint given there (tests, embedding hosts) switches export on.
        builder.AddGlassboxOpenTelemetry();

        var app = builder.Build();
        // The meter provider before any component: otherwise the hosted service builds it, which can be after the
        // upstream pipelines declared their circuits' zero series, and those measurements would reach no reader.
        _ = app.Services.GetService<OpenTelemetry.Metrics.MeterProvider>();
        app.Lifetime.ApplicationStarted.Register(() => LogStarted(app));
        app.UseTunnelRefusal();
        // Built now rather than on the first call: each circuit's transition series exists from the first scrape.
        app.Lifetime.ApplicationStarted.Register(() => app.Services.GetRequiredService<Resilience.UpstreamPipelines>());
        app.UseGlassboxMetricsEndpoint();
        app.UseTraceResponseHeader();
        app.UseMiddleware<ClientAddressMiddleware>();
        app.MapProbes();
        app.MapReverseProxy(proxy =>
        {
            proxy.UseMiddleware<GatewayKeyMiddleware>();
            proxy.UseMiddleware<AiCallMiddleware>();
        });
        return app;
    }

    /// <summary>Readiness, the drain on shutdown and the host shutdown timeout that leaves room for it.</summary>
    private static void AddLifecycle(IServiceCollection services)
    {
        services.AddOptions<ShutdownOptions>().BindConfiguration(ShutdownOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ShutdownOptions>, ShutdownOptionsValidator>();
        services.AddOptions<HostOptions>().Configure<IOptions<ShutdownOptions>>((host, shutdown) => host.ShutdownTimeout = shutdown.Value.HostShutdownTimeout);
        services.AddSingleton<DrainCoordinator>();
        // First of all hosted services: the host runs StoppingAsync in registration order, and the web server's
        // own (registered by the builder) closes the listener; the drain delay has to run before it.
        services.Insert(0, ServiceDescriptor.Singleton<IHostedService>(services => services.GetRequiredService<DrainCoordinator>()));
    }

    private static void LogStarted(WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<GlassboxOptions>>().Value;
        var upstreams = string.Join(", ", options.Upstreams.Select(u => $"{u.Key}={u.Value.BaseUrl}{(u.Value.PathPrefix.Length > 0 ? $" at {u.Value.PathPrefix}" : "")}"));
        var endpoint = app.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"] ?? app.Configuration["OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"] ?? "off (no OTEL_EXPORTER_OTLP_ENDPOINT)";
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(GatewayApp));
        GatewayLog.Started(logger, upstreams, endpoint);
        var guard = app.Services.GetRequiredService<AnonymousRelayGuard>();
        var keyed = AnonymousRelayGuard.UpstreamsWithKeys(options);
        if (AnonymousRelayGuard.Check(guard.ListenUrls, keyed, AnonymousRelayGuard.HasInboundKeys(options), options.Auth.AllowAnonymousKeyInjection) == AnonymousRelayVerdict.Warn)
        {
            AuthLog.AnonymousKeyInjection(logger, string.Join(", ", guard.ListenUrls), string.Join(", ", keyed));
        }
    }

    private static void AddCallTransforms(Yarp.ReverseProxy.Transforms.Builder.TransformBuilderContext context)
    {
        var route = context.Services.GetRequiredService<RouteTable>().Find(context.Route.RouteId);
        if (route is null)
        {
            return;
        }

        // The gateway's own attribution headers never reach any upstream, AI route or not.
        context.RequestTransforms.Add(Attribution.RemoveAttributionHeadersTransform.Instance);
        var key = route.Upstream.ApiKey is { Length: > 0 } configured ? configured : null;
        if (key is not null || context.Services.GetRequiredService<GatewayKeyStore>().Enabled)
        {
            context.RequestTransforms.Add(new UpstreamKeyTransform(key, route.Family));
        }

        if (route.Dialect is { } dialect)
        {
            var services = context.Services;
            var options = services.GetRequiredService<IOptions<GlassboxOptions>>().Value;
            context.RequestTransforms.Add(AttachPhasesTransform.Instance);
            if (dialect.InjectsStreamUsage)
            {
                context.RequestTransforms.Add(UsageInjection.UsageInjectionRequestTransform.Instance);
            }

            context.ResponseTransforms.Add(new ObserveResponseTransform(
                services.GetRequiredService<TimeProvider>(), services.GetRequiredService<RateLimitHeadroom>(), options.MaxObservedBodyBytes, route.Upstream.Timeouts.Idle,
                services.GetRequiredService<CallTelemetry>().CaptureContent ? options.MaxCapturedContentChars : 0));
        }
    }
}
