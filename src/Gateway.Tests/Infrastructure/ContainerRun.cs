using System.Globalization;

namespace Glassbox.Gateway.Tests.Infrastructure;

/// <summary>A detached container with a unique name, removed on dispose.</summary>
internal sealed class ContainerRun : IAsyncDisposable
{
    private ContainerRun(string name) => Name = name;

    public string Name { get; }

    public static async Task<ContainerRun> StartAsync(string prefix, string image, IEnumerable<string> options, IEnumerable<string>? command = null)
    {
        var name = $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];
        await DockerCli.RunAsync(["run", "-d", "--name", name, .. options, image, .. command ?? []], TimeSpan.FromMinutes(1));
        return new ContainerRun(name);
    }

    /// <summary>Polls the URL until it answers 200; fails with the container's log otherwise.</summary>
    public static async Task WaitForHttpAsync(ContainerRun container, Uri url)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            try
            {
                using var response = await http.GetAsync(url);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
            }

            if (DateTime.UtcNow > deadline)
            {
                var logs = await DockerCli.RunAsync(["logs", container.Name], check: false);
                throw new TimeoutException($"{container.Name} never answered {url}:\n{logs.Output}\n{logs.Error}");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>Resident memory of the container's main process, read from the host's /proc.</summary>
    public async Task<double> RssMebibytesAsync()
    {
        var kilobytes = (await StatusFieldAsync("VmRSS:"))[0];
        return long.Parse(kilobytes, CultureInfo.InvariantCulture) / 1024.0;
    }

    /// <summary>Real user id of the container's main process, read from the host's /proc (no tool inside needed).</summary>
    public async Task<string> ProcessUidAsync() => (await StatusFieldAsync("Uid:"))[0];

    private async Task<string[]> StatusFieldAsync(string field)
    {
        var pid = (await DockerCli.RunAsync("inspect", "-f", "{{.State.Pid}}", Name)).Trimmed;
        var status = await File.ReadAllLinesAsync($"/proc/{pid}/status");
        return status.Single(l => l.StartsWith(field, StringComparison.Ordinal)).Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries)[1..];
    }

    public async ValueTask DisposeAsync() => await DockerCli.RemoveAsync(Name);
}
