namespace Glassbox.Gateway;

public static class Program
{
    public static async Task Main(string[] args)
    {
        await using var app = GatewayApp.Build(args);
        await app.RunAsync();
    }
}
