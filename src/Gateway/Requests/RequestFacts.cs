namespace Glassbox.Gateway.Requests;

/// <summary>What the request body says about the call, read once before forwarding.</summary>
internal sealed class RequestFacts
{
    public string? Model { get; set; }
    public bool Stream { get; set; }
    public long? MaxTokens { get; set; }
    public double? Temperature { get; set; }
    public double? TopP { get; set; }
    public long? TopK { get; set; }
    public string[]? StopSequences { get; set; }
    public int? MessageCount { get; set; }
    public int? ToolCount { get; set; }

    /// <summary>OpenAI <c>stream_options.include_usage</c>: without it a Chat stream reports no tokens.</summary>
    public bool IncludeUsage { get; set; }

    /// <summary>Raw JSON of <c>messages</c> / <c>input</c>, kept only when content capture is on (a separate <c>system</c> prompt is not).</summary>
    public string? CapturedInput { get; set; }
}
