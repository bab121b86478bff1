namespace Glassbox.SimulatedUpstream;

public static class Program
{
    public static async Task Main(string[] args)
    {
        await using var app = SimulatorApp.Build(args);
        await app.RunAsync();
    }
}
