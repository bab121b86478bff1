using System.Globalization;
using System.Text;

namespace Glassbox.SimulatedUpstream.Generation;

/// <summary>The deterministic generated content: delta <c>i</c> of text is <c>"word{i} "</c>.</summary>
internal static class Words
{
    public const string ToolName = "get_weather";

    public static string Text(int i) => string.Create(CultureInfo.InvariantCulture, $"word{i} ");

    public static string Thinking(int i) => string.Create(CultureInfo.InvariantCulture, $"thought{i} ");

    public const string Signature = "EqQBCgIYAhIMsimulatedsignature";

    /// <summary>
    /// Piece <c>i</c> of <c>n</c> of the tool arguments <c>{"location":"word0 word1 "}</c>: each piece carries one word,
    /// the first opens the object and the last closes it.
    /// </summary>
    public static string ToolArguments(int i, int n)
    {
        var piece = Text(i);
        if (i == 0)
            piece = "{\"location\":\"" + piece;
        if (i == n - 1)
            piece += "\"}";
        return piece;
    }

    public static string Join(int n, Func<int, string> piece)
    {
        var builder = new StringBuilder();
        for (var i = 0; i < n; i++)
            builder.Append(piece(i));
        return builder.ToString();
    }
}
