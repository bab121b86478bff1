using System.Globalization;

namespace Glassbox.Bench.StreamBench;

/// <summary><c>--name value</c> pairs.</summary>
internal sealed class Options
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public static Options Parse(ReadOnlySpan<string> args)
    {
        var options = new Options();
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"expected '--name value', got '{args[i]}'");
            }

            options._values[args[i][2..]] = args[++i];
        }

        return options;
    }

    public string? Get(string name) => _values.GetValueOrDefault(name);

    public string Required(string name) => Get(name) ?? throw new ArgumentException($"--{name} is required");

    public string Text(string name, string fallback) => Get(name) ?? fallback;

    public int Int(string name, int fallback) =>
        Get(name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

    public double Double(string name, double fallback) =>
        Get(name) is { } text ? double.Parse(text, CultureInfo.InvariantCulture) : fallback;

    /// <summary>The tags every JSON line carries: label (target), round and scenario.</summary>
    public void Tag(Dictionary<string, object?> line)
    {
        line["label"] = Get("label");
        line["round"] = Get("round") is { } round ? int.Parse(round, CultureInfo.InvariantCulture) : null;
        line["scenario"] = Get("scenario");
    }
}
