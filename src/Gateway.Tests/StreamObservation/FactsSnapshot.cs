using System.Globalization;
using Glassbox.Gateway.StreamObservation;

namespace Glassbox.Gateway.Tests.StreamObservation;

// Also compiled into fuzz/Gateway.Fuzz (linked): the fuzz targets compare facts as the tests do.
/// <summary>Everything an observer wrote, comparable by value.</summary>
internal sealed record FactsSnapshot(
    string? ResponseId,
    string? ResponseModel,
    string? FinishReason,
    long? InputTokens,
    long? OutputTokens,
    long? CacheReadInputTokens,
    long? CacheCreationInputTokens,
    long? ReasoningOutputTokens,
    long? FirstContentTimestamp,
    long? LastContentTimestamp,
    int ContentChunks,
    long MaxContentGapTicks,
    string ContentGaps,
    string? StreamErrorType,
    string? StreamErrorMessage,
    string? ErrorBodyType,
    string? ErrorBodyMessage,
    bool Completed,
    string? ObservationProblem,
    long? ToolUsePromptTokens = null,
    string? ErrorRetryAfter = null)
{
    public static FactsSnapshot Of(ResponseFacts f) => new(
        f.ResponseId,
        f.ResponseModel,
        f.FinishReason,
        f.InputTokens,
        f.OutputTokens,
        f.CacheReadInputTokens,
        f.CacheCreationInputTokens,
        f.ReasoningOutputTokens,
        f.FirstContentTimestamp,
        f.LastContentTimestamp,
        f.ContentChunks,
        f.MaxContentGapTicks,
        string.Join(",", f.ContentGapTicks.ToArray().Select(g => g.ToString(CultureInfo.InvariantCulture))),
        f.StreamErrorType,
        f.StreamErrorMessage,
        f.ErrorBodyType,
        f.ErrorBodyMessage,
        f.Completed,
        f.ObservationProblem,
        f.ToolUsePromptTokens,
        f.ErrorRetryAfter);
}
