using System.Buffers;
using System.Text.Json;
using Glassbox.Gateway.UsageInjection;

namespace Glassbox.Gateway.Fuzz.Targets;

/// <summary>The usage injection: the request body editor and the stream filter that hides the injected usage chunk.</summary>
internal static class UsageInjectionTargets
{
    /// <summary>Never throws; an edit is one contiguous change (at most 5 bytes replaced) giving valid JSON that asks for usage; no edit, no body.</summary>
    public static void RunBodyEditor(byte[] input)
    {
        var edit = StreamOptionsInjector.TryInject(input, out var edited);
        if (edit != StreamOptionsEdit.Injected)
        {
            Invariant.Holds(edited is null, $"{edit} but an edited body was returned");
            return;
        }

        Invariant.Holds(edited is not null, "Injected without an edited body");
        try
        {
            using var parsed = JsonDocument.Parse(edited!);
            Invariant.Holds(parsed.RootElement.GetProperty("stream_options").GetProperty("include_usage").GetBoolean(), "include_usage is not true");
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new InvariantBrokenException($"the edited body is not valid JSON asking for usage: {e.Message}");
        }

        var prefix = input.AsSpan().CommonPrefixLength(edited);
        var suffix = 0;
        while (suffix < input.Length - prefix && suffix < edited!.Length - prefix && input[^(suffix + 1)] == edited[^(suffix + 1)])
        {
            suffix++;
        }

        var removed = input.Length - prefix - suffix;
        Invariant.Holds(removed is >= 0 and <= 5, $"the edit replaced {removed} bytes");
    }

    /// <summary>Never throws; the client gets the same bytes however the upstream stream is cut.</summary>
    public static void RunStreamFilter(byte[] input)
    {
        var whole = Filter([input]);
        var chunked = Filter(Chunking.Cut(input));
        Invariant.Holds(whole.AsSpan().SequenceEqual(chunked), $"chunked gave {chunked.Length} B, whole gave {whole.Length} B");
    }

    private static byte[] Filter(IEnumerable<byte[]> chunks)
    {
        var filter = new InjectedUsageFilter();
        var client = new ArrayBufferWriter<byte>();
        foreach (var chunk in chunks)
        {
            filter.Write(chunk, client);
        }

        filter.Complete(client);
        return client.WrittenSpan.ToArray();
    }
}
