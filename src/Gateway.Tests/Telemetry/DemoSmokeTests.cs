using System.Diagnostics;
using System.Net.Sockets;
using System.Reflection;
using System.Text;
using Glassbox.Demo;
using Glassbox.Gateway.Tests.Infrastructure;

namespace Glassbox.Gateway.Tests.Telemetry;

/// <summary>The quick-start command, <c>dotnet run --project src/Demo</c>, in its <c>--smoke</c> form.</summary>
public sealed class DemoSmokeTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task DotnetRunDemo_Smoke_SendsTheSampleCall_FindsItsTraceInTheDashboard_AndCleansUp()
    {
        // The gateway, simulator and OTLP ports may be any free port (0); the dashboard UI port is fixed here so
        // the test can check afterwards that the dashboard process went away with the demo.
        var dashboardPort = AspireDashboardProcess.FreePort();
        var configuration = typeof(DemoSmokeTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var startInfo = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } dotnet ? dotnet : "dotnet")
        {
            WorkingDirectory = RepositoryRoot.Path,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in (string[])["run", "--project", "src/Demo", "--no-build", "-c", configuration, "--",
                     "--smoke", "--gateway-port", "0", "--simulator-port", "0",
                     "--dashboard-port", dashboardPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--otlp-grpc-port", "0", "--otlp-http-port", "0"])
        {
            startInfo.ArgumentList.Add(arg);
        }

        foreach (var key in startInfo.Environment.Keys.Where(k => k.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase)
                                                                 || k.StartsWith("OTEL_", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            startInfo.Environment.Remove(key);
        }

        startInfo.Environment["DOTNET_NOLOGO"] = "1";
        startInfo.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";

        var output = new StringBuilder();
        using var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        var clock = Stopwatch.StartNew();
        Assert.True(process.Start());
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using (var timeout = new CancellationTokenSource(Budget))
        {
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                Assert.Fail($"The demo did not finish within {Budget.TotalSeconds:0} s.\n{Text()}");
            }
        }

        process.WaitForExit(); // drains the redirected output
        var text = Text();
        Assert.True(process.ExitCode == 0, $"Exit code {process.ExitCode} after {clock.Elapsed.TotalSeconds:0.0} s.\n{text}");
        Assert.Contains("OK: span 'chat claude-sonnet-4-5' of trace ", text, StringComparison.Ordinal);
        Assert.Contains("export ANTHROPIC_BASE_URL=http://127.0.0.1:", text, StringComparison.Ordinal);
        Assert.Contains("curl -N -i http://127.0.0.1:", text, StringComparison.Ordinal);
        Assert.Contains($"Trace viewer:   http://127.0.0.1:{dashboardPort}/traces", text, StringComparison.Ordinal);
        Assert.Matches(@"Its trace id:   [0-9a-f]{32}\n", text.ReplaceLineEndings("\n"));

        // The dashboard process ended with the demo: nothing listens on its port any more.
        using var probe = new TcpClient();
        await Assert.ThrowsAsync<SocketException>(() => probe.ConnectAsync("127.0.0.1", dashboardPort));

        void Append(string? line)
        {
            if (line is not null)
            {
                lock (output)
                {
                    output.AppendLine(line);
                }
            }
        }

        string Text()
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    [Theory]
    [InlineData("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "0af7651916cd43dd8448eb211c80319c")]
    [InlineData("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331", null)]
    [InlineData("garbage", null)]
    [InlineData(null, null)]
    public void TraceIdOfTraceResponseHeader(string? header, string? expected) =>
        Assert.Equal(expected, DemoRunner.ParseTraceId(header));

    [Fact]
    public void Options_DefaultsAndOverrides()
    {
        var defaults = DemoOptions.Parse([]);
        Assert.Equal(8080, defaults.GatewayPort);
        Assert.Equal(9100, defaults.SimulatorPort);
        Assert.Equal(new DashboardPorts(18888, 18889, 18890), defaults.DashboardPorts);
        Assert.False(defaults.Smoke);

        var custom = DemoOptions.Parse(["--smoke", "--gateway-port", "9000", "--dashboard-port=0", "--otlp-grpc-port", "4317"]);
        Assert.True(custom.Smoke);
        Assert.Equal(9000, custom.GatewayPort);
        Assert.Equal(new DashboardPorts(0, 4317, 18890), custom.DashboardPorts);

        Assert.Throws<FormatException>(() => DemoOptions.Parse(["--gateway-port"]));
        Assert.Throws<FormatException>(() => DemoOptions.Parse(["--gateway-port", "70000"]));
        Assert.Throws<FormatException>(() => DemoOptions.Parse(["--bogus"]));
    }
}
