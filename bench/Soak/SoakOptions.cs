using System.Globalization;

namespace Glassbox.Bench.Soak;

internal sealed record SoakOptions(Uri Gateway, int GatewayPid, Uri Dashboard, string Service, TimeSpan Duration, TimeSpan WarmUp, TimeSpan FlatWindow, double Rate, string? Report)
{
    public static SoakOptions Parse(string[] args)
    {
        string Get(string name, string? fallback = null)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback ?? throw new ArgumentException($"{name} is required");
        }

        double Seconds(string name, string fallback) => double.Parse(Get(name, fallback), CultureInfo.InvariantCulture);

        return new SoakOptions(
            new Uri(Get("--gateway")),
            int.Parse(Get("--gateway-pid"), CultureInfo.InvariantCulture),
            new Uri(Get("--dashboard")),
            Get("--service", "glassbox-soak"),
            TimeSpan.FromSeconds(Seconds("--duration-s", "1800")),
            TimeSpan.FromSeconds(Seconds("--warmup-s", "300")),
            TimeSpan.FromSeconds(Seconds("--flat-window-s", "1200")),
            double.Parse(Get("--rate", "10"), CultureInfo.InvariantCulture),
            args.Contains("--report") ? Get("--report") : null);
    }
}
