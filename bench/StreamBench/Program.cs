namespace Glassbox.Bench.StreamBench;

/// <summary>Entry point: <c>latency</c>, <c>stream</c>, <c>rss</c> and <c>report</c> subcommands (see bench/README.md).</summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help")
        {
            Console.Error.WriteLine(Usage);
            return args.Length == 0 ? 2 : 0;
        }

        try
        {
            var options = Options.Parse(args.AsSpan(1));
            return args[0] switch
            {
                "latency" => await LatencyCommand.RunAsync(options),
                "stream" => await StreamCommand.RunAsync(options),
                "rss" => RssCommand.Run(options),
                "startup" => await StartupCommand.RunAsync(options),
                "report" => ReportCommand.Run(options),
                _ => Fail($"unknown command '{args[0]}'"),
            };
        }
        catch (ArgumentException ex)
        {
            return Fail(ex.Message);
        }
    }

    private static int Fail(string message)
    {
        Console.Error.WriteLine("error: " + message);
        Console.Error.WriteLine(Usage);
        return 2;
    }

    private const string Usage = """
        usage:
          latency --url U [--path /v1/messages] [--n 2000] [--warmup 200] [--max-seconds 60]
          stream  --url U [--path /v1/messages] [--concurrency 1] [--streams 100] [--deltas 64] [--gap-ms 20]
                  [--ttft-ms 0] [--stall-ms 60] [--warmup-streams C] [--max-seconds 120]
          rss     --pid P [--reset-peak 1]   (--reset-peak: VmHWM back to the current RSS, for the peak of what follows)
          startup --command "EXE ARGS" --url U/healthz [--runs 5] [--max-seconds 30]
          report  --input results.jsonl
        common: [--label TARGET] [--round N] [--scenario NAME] tag the JSON line (the line starting with '{').
        """;
}
