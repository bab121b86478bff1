namespace Glassbox.SimulatedUpstream;

public static class Program
{
    public static async Task Main(string[] args)
    {
        var app = WebApplication.CreateSlimBuilder(args).Build();
        await app.RunAsync();
    }
}
