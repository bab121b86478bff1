using System.Runtime.InteropServices;

namespace Glassbox.Demo;

public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        DemoOptions options;
        try
        {
            options = DemoOptions.Parse(args);
        }
        catch (FormatException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message + Environment.NewLine + Environment.NewLine + DemoOptions.Usage);
            return 2;
        }

        if (options.Help)
        {
            Console.WriteLine(DemoOptions.Usage);
            return 0;
        }

        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });

        return await DemoRunner.RunAsync(options, Console.Out, stop.Token);
    }
}
