using System.Diagnostics;
using Glassbox.Gateway.Requests;
using Glassbox.Gateway.StreamObservation;

namespace Glassbox.Gateway.Dialects;

/// <summary>
/// Everything the gateway knows about one observed wire format (Anthropic Messages, OpenAI Chat, ...): how its
/// requests are read, how its responses are observed, how the gateway speaks it when it answers itself, and how
/// its usage maps onto the semantic conventions. One implementation per folder under <c>Dialects/</c>; the rest
/// of the gateway reads a call only through this interface, so a new dialect touches no switch elsewhere.
/// </summary>
internal interface IApiDialect
{
    /// <summary>Stable name, e.g. <c>AnthropicMessages</c> (tests and diagnostics).</summary>
    string Name { get; }

    /// <summary><c>gen_ai.operation.name</c> of its calls, also the first word of the span name.</summary>
    string OperationName { get; }

    /// <summary>True for the OpenAI Chat dialect only: streams that do not ask for usage get it injected.</summary>
    bool InjectsStreamUsage => false;

    /// <summary>Reads the request once before forwarding; null when the body is not what the dialect accepts (a JSON object).</summary>
    /// <param name="body">The buffered request body.</param>
    /// <param name="path">The request path as the client sent it (some dialects name the model and the stream mode there).</param>
    /// <param name="captureInput">Keep the prompt's raw JSON (content capture on).</param>
    RequestFacts? ReadRequest(ReadOnlySpan<byte> body, string path, bool captureInput);

    /// <summary>The observer of one response body; dispose it when the body ends or breaks.</summary>
    /// <param name="isEventStream">The response's content type is <c>text/event-stream</c>.</param>
    /// <param name="facts">Where the observer writes what it learns.</param>
    /// <param name="maxDocumentBytes">Largest JSON document parsed: a whole body, or one event.</param>
    IResponseObserver CreateObserver(bool isEventStream, ResponseFacts facts, int maxDocumentBytes);

    /// <summary>The body of an error the gateway answers itself, shaped like the provider's own so SDKs raise their typed errors.</summary>
    byte[] FormatError(int statusCode, GatewayErrorKind kind, string message);

    /// <summary>
    /// The event that ends a client's stream cleanly after the upstream broke off, appended at an event boundary;
    /// null when the dialect has none (the client's response is then aborted).
    /// </summary>
    byte[]? FormatStreamError(GatewayErrorKind kind, string message);

    /// <summary>The provider's raw counts as the semantic conventions count them (input with cache, output with reasoning).</summary>
    TokenUsage Usage(ResponseFacts facts);

    /// <summary>
    /// The <c>ai.error.type</c> of a provider error type this dialect alone uses (e.g. a <c>google.rpc.Code</c> name); null
    /// leaves it to the shared table.
    /// </summary>
    string? ErrorType(string providerErrorType) => null;

    /// <summary>The provider says how long to wait in the error body rather than (only) in <c>retry-after</c>.</summary>
    bool RetryDelayInBody => false;

    /// <summary>The wait an error body asks for before a retry (see <see cref="RetryDelayInBody"/>); null when it names none.</summary>
    TimeSpan? RetryDelay(ReadOnlySpan<byte> errorBody) => null;

    /// <summary>The dialect's own start attributes beyond the common set (e.g. <c>openai.api.type</c>).</summary>
    void SetRequestTags(Activity activity)
    {
    }
}
