using System.Diagnostics;
using System.Text.Json;

namespace Glassbox.Gateway.Tests.Infrastructure;

/// <summary>
/// A real Prometheus process on a free loopback port, with its own configuration and storage in a temporary
/// folder, and its HTTP API. Disposing stops it (by its own process) and deletes the folder.
/// </summary>
internal sealed class PrometheusServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;
    private readonly HttpClient _http;
    private readonly StringWriter _output = new();

    private PrometheusServer(Process process, string directory, Uri address)
    {
        _process = process;
        _directory = directory;
        Address = address;
        _http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
    }

    public Uri Address { get; }

    /// <summary>What Prometheus printed so far (for failure messages).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <param name="configYaml">prometheus.yml; <c>{rules}</c> is replaced by the folder the rule files were copied to.</param>
    /// <param name="ruleFiles">Rule files copied next to the configuration.</param>
    public static async Task<PrometheusServer> StartAsync(string configYaml, params string[] ruleFiles)
    {
        var directory = Directory.CreateTempSubdirectory("glassbox-prometheus-").FullName;
        foreach (var file in ruleFiles)
        {
            File.Copy(file, Path.Combine(directory, Path.GetFileName(file)));
        }

        var configPath = Path.Combine(directory, "prometheus.yml");
        await File.WriteAllTextAsync(configPath, configYaml.Replace("{rules}", directory, StringComparison.Ordinal));
        var port = LoopbackApp.FreePort();
        var start = new ProcessStartInfo(PrometheusTools.Prometheus ?? throw new InvalidOperationException("prometheus is not installed."))
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in new[]
                 {
                     $"--config.file={configPath}",
                     $"--storage.tsdb.path={Path.Combine(directory, "data")}",
                     $"--web.listen-address=127.0.0.1:{port}",
                     "--enable-feature=exemplar-storage",
                     "--log.level=warn",
                 })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        var server = new PrometheusServer(process, directory, new Uri($"http://127.0.0.1:{port}/"));
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await server.WaitReadyAsync();
        return server;
    }

    /// <summary>Runs an instant query; returns the result array (throws with Prometheus's error if the query is invalid).</summary>
    public async Task<JsonElement> QueryAsync(string promql)
    {
        using var response = await _http.PostAsync(new Uri("api/v1/query", UriKind.Relative), new FormUrlEncodedContent([new("query", promql)]));
        var body = await response.Content.ReadAsStringAsync();
        using var json = JsonDocument.Parse(body);
        if (!response.IsSuccessStatusCode || json.RootElement.GetProperty("status").GetString() != "success")
        {
            throw new InvalidOperationException($"Prometheus rejected the query ({(int)response.StatusCode}): {body}\nQuery: {promql}");
        }

        return json.RootElement.GetProperty("data").GetProperty("result").Clone();
    }

    /// <summary>GET on the API, returning its <c>data</c>.</summary>
    public async Task<JsonElement> GetAsync(string pathAndQuery)
    {
        var body = await _http.GetStringAsync(new Uri(pathAndQuery, UriKind.Relative));
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("data").Clone();
    }

    private async Task WaitReadyAsync()
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"Prometheus exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                using var response = await _http.GetAsync(new Uri("-/ready", UriKind.Relative));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Prometheus did not become ready:\n{Output}");
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.WriteLine(line);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await ServerProcess.StopAsync(_process, _directory);
    }
}
