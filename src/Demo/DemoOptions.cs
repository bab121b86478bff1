using System.Globalization;

namespace Glassbox.Demo;

/// <summary>The demo's command line. Ports may be 0 (any free port); busy dashboard and simulator ports fall back to free ones.</summary>
internal sealed record DemoOptions
{
    public const string Usage = """
        Usage: dotnet run --project src/Demo [-- options]

          --gateway-port N     gateway port on 127.0.0.1 (default 8080)
          --simulator-port N   simulated upstream port (default 9100; a free port if busy)
          --dashboard-port N   Aspire dashboard UI and query API (default 18888; a free port if busy)
          --otlp-grpc-port N   dashboard OTLP/gRPC port (default 18889; a free port if busy)
          --otlp-http-port N   dashboard OTLP/HTTP port (default 18890; a free port if busy)
          --smoke              send the sample call, check its trace reached the dashboard, print OK and exit (0 ok, 1 not)
          --help               this text

        Port 0 means any free port.
        """;

    public int GatewayPort { get; init; } = 8080;
    public int SimulatorPort { get; init; } = 9100;
    public DashboardPorts DashboardPorts { get; init; } = DashboardPorts.Default;
    public bool Smoke { get; init; }
    public bool Help { get; init; }

    /// <summary>Parses <c>--name value</c> and <c>--name=value</c>; throws <see cref="FormatException"/> on anything else.</summary>
    public static DemoOptions Parse(IReadOnlyList<string> args)
    {
        var options = new DemoOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            var (name, inline) = arg.IndexOf('=', StringComparison.Ordinal) is var eq and > 0 ? (arg[..eq], arg[(eq + 1)..]) : (arg, null);
            switch (name)
            {
                case "--smoke":
                    options = options with { Smoke = true };
                    break;
                case "--help" or "-h" or "-?":
                    options = options with { Help = true };
                    break;
                case "--gateway-port":
                    options = options with { GatewayPort = Port() };
                    break;
                case "--simulator-port":
                    options = options with { SimulatorPort = Port() };
                    break;
                case "--dashboard-port":
                    options = options with { DashboardPorts = options.DashboardPorts with { Ui = Port() } };
                    break;
                case "--otlp-grpc-port":
                    options = options with { DashboardPorts = options.DashboardPorts with { OtlpGrpc = Port() } };
                    break;
                case "--otlp-http-port":
                    options = options with { DashboardPorts = options.DashboardPorts with { OtlpHttp = Port() } };
                    break;
                default:
                    throw new FormatException($"Unknown option '{arg}'.");
            }

            int Port()
            {
                var text = inline ?? (i + 1 < args.Count ? args[++i] : throw new FormatException($"{name} needs a port number."));
                return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port <= 65535
                    ? port
                    : throw new FormatException($"{name}: '{text}' is not a port number (0–65535).");
            }
        }

        return options;
    }
}
