using System.Text.Json;

namespace Glassbox.SimulatedUpstream.Calls;

/// <summary>The few request body fields the simulator honours.</summary>
/// <param name="HasStreamOptions">The body has a <c>stream_options</c> member (some OpenAI-compatible hosts reject it).</param>
internal sealed record SimRequest(string Model, bool Stream, bool IncludeUsage, bool HasStreamOptions = false)
{
    /// <exception cref="FormatException">The body is not a JSON object.</exception>
    public static async Task<SimRequest> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(request.Body, default, cancellationToken);
        }
        catch (JsonException e)
        {
            throw new FormatException("The request body is not valid JSON.", e);
        }

        using (document)
        {
            return Read(document);
        }
    }

    private static SimRequest Read(JsonDocument document)
    {
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
            throw new FormatException("The request body must be a JSON object.");
        var model = root.TryGetProperty("model", out var m) && m.ValueKind == JsonValueKind.String ? ModelName(m) : "sim-model";
        var stream = root.TryGetProperty("stream", out var s) && s.ValueKind == JsonValueKind.True;
        var hasStreamOptions = root.TryGetProperty("stream_options", out var o);
        var includeUsage = hasStreamOptions && o.ValueKind == JsonValueKind.Object
            && o.TryGetProperty("include_usage", out var u) && u.ValueKind == JsonValueKind.True;
        return new SimRequest(model, stream, includeUsage, hasStreamOptions);
    }

    /// <summary>The providers answer 400 for a string that is not valid UTF-8.</summary>
    private static string ModelName(JsonElement model)
    {
        try
        {
            return model.GetString()!;
        }
        catch (InvalidOperationException e)
        {
            throw new FormatException("The model name is not valid UTF-8.", e);
        }
    }
}
