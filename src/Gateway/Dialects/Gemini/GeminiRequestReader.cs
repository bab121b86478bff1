using System.Text;
using System.Text.Json;
using Glassbox.Gateway.Requests;
using Glassbox.Gateway.Telemetry;

namespace Glassbox.Gateway.Dialects.Gemini;

/// <summary>
/// Reads a Gemini request: the model and whether it streams come from the path
/// (<c>/v1beta/models/{model}:streamGenerateContent</c>), the rest from one pass over the body: <c>contents</c>
/// (the message count, and the prompt under content capture), <c>tools</c> and <c>generationConfig</c>.
/// </summary>
internal static class GeminiRequestReader
{
    public const string StreamMethod = "streamGenerateContent";

    /// <summary>Returns null when the body is not a JSON object.</summary>
    public static RequestFacts? TryRead(ReadOnlySpan<byte> body, string path, bool captureInput)
    {
        var (model, method) = ModelAndMethod(path);
        var facts = new RequestFacts { Model = TelemetryText.Name(model), Stream = method == StreamMethod };
        var reader = new Utf8JsonReader(body, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var property = reader;
                reader.Read();
                if (property.ValueTextEquals("contents"u8))
                {
                    var start = (int)reader.TokenStartIndex;
                    facts.MessageCount = RequestFactsReader.CountItems(ref reader);
                    if (captureInput)
                    {
                        facts.CapturedInput = Encoding.UTF8.GetString(body[start..(int)reader.BytesConsumed]);
                    }
                }
                else if (property.ValueTextEquals("tools"u8) && reader.TokenType == JsonTokenType.StartArray)
                {
                    facts.ToolCount = CountTools(ref reader);
                }
                else if (property.ValueTextEquals("generationConfig"u8) && reader.TokenType == JsonTokenType.StartObject)
                {
                    ReadGenerationConfig(ref reader, facts);
                }
                else
                {
                    reader.Skip();
                }
            }

            return reader.TokenType != JsonTokenType.EndObject || reader.Read() ? null : facts;
        }
        catch (JsonException)
        {
            return null;
        }
        catch (InvalidOperationException)
        {
            return facts; // valid JSON the reader cannot transcode (a lone surrogate escape): forwarded, telemetry keeps what was read
        }
    }

    /// <summary>
    /// The model and method of <c>…/models/{model}:{method}</c>: <c>gemini-2.5-flash</c> for <c>models/…</c>, the whole
    /// <c>tunedModels/{name}</c> for a tuned model (its name alone would not say it is one).
    /// </summary>
    public static (string? Model, string Method) ModelAndMethod(string path)
    {
        var slash = path.LastIndexOf('/');
        var target = path[(slash + 1)..];
        var colon = target.LastIndexOf(':');
        var (name, method) = colon < 0 ? (target, "") : (target[..colon], target[(colon + 1)..]);
        var collectionStart = slash > 0 ? path.LastIndexOf('/', slash - 1) + 1 : 0;
        var collection = slash > 0 ? path[collectionStart..slash] : "";
        if (name.Length == 0)
        {
            return (null, method);
        }

        return (collection == "tunedModels" ? "tunedModels/" + name : name, method);
    }

    /// <summary>Tools the model may call: each function declaration, and each built-in tool (<c>googleSearch</c>, <c>codeExecution</c>...) as one.</summary>
    private static int CountTools(ref Utf8JsonReader reader)
    {
        var count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartObject)
            {
                reader.Skip();
                continue;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isDeclarations = reader.ValueTextEquals("functionDeclarations"u8);
                reader.Read();
                count += isDeclarations ? RequestFactsReader.CountItems(ref reader) : 1;
                if (!isDeclarations)
                {
                    reader.Skip();
                }
            }
        }

        return count;
    }

    private static void ReadGenerationConfig(ref Utf8JsonReader reader, RequestFacts facts)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var property = reader;
            reader.Read();
            if (property.ValueTextEquals("maxOutputTokens"u8) && reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var maxTokens))
            {
                facts.MaxTokens = maxTokens;
            }
            else if (property.ValueTextEquals("temperature"u8) && reader.TokenType == JsonTokenType.Number)
            {
                facts.Temperature = reader.GetDouble();
            }
            else if (property.ValueTextEquals("topP"u8) && reader.TokenType == JsonTokenType.Number)
            {
                facts.TopP = reader.GetDouble();
            }
            else if (property.ValueTextEquals("topK"u8) && reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var topK))
            {
                facts.TopK = topK;
            }
            else if (property.ValueTextEquals("stopSequences"u8))
            {
                facts.StopSequences = RequestFactsReader.ReadStrings(ref reader);
            }
            else
            {
                reader.Skip();
            }
        }
    }
}
