namespace Glassbox.Gateway.Tests.Infrastructure;

/// <summary>The repository's <c>fuzz/corpus</c>, copied next to the tests.</summary>
internal static class FuzzCorpus
{
    public static IReadOnlyList<string> Files(string folder) =>
        Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "FuzzCorpus", folder)).Order(StringComparer.Ordinal).ToList();
}
