namespace Glassbox.Gateway.Tests.Infrastructure.Audit;

/// <summary>
/// In every harness client: records the keys the request carries (the secrets the audit looks for) and the
/// body of every error answer the client receives (what a caller sees of the gateway).
/// </summary>
internal sealed class TelemetryRecordingHandler(TelemetryRecord record, HttpMessageHandler inner) : DelegatingHandler(inner)
{
    private static readonly string[] KeyHeaders = ["x-api-key", "x-goog-api-key", "api-key"];

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        RecordKeys(request);
        var response = await base.SendAsync(request, cancellationToken);
        if ((int)response.StatusCode >= 400 && response.Content.Headers.ContentType?.MediaType is { } type && !type.Contains("event-stream", StringComparison.Ordinal))
        {
            try
            {
                await response.Content.LoadIntoBufferAsync(cancellationToken);
                record.AddErrorBody($"{(int)response.StatusCode} body of {request.Method} {request.RequestUri}", await response.Content.ReadAsStringAsync(cancellationToken));
            }
            catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException)
            {
                // The body broke off: the test reading it sees that too.
            }
        }

        return response;
    }

    private void RecordKeys(HttpRequestMessage request)
    {
        if (request.Headers.Authorization is { } authorization)
        {
            record.AddSecret(authorization.Parameter ?? authorization.Scheme);
        }

        foreach (var name in KeyHeaders)
        {
            if (request.Headers.TryGetValues(name, out var values))
            {
                foreach (var value in values)
                {
                    record.AddSecret(value);
                }
            }
        }

        var query = request.RequestUri is { IsAbsoluteUri: true } absolute ? absolute.Query
            : request.RequestUri?.OriginalString is { } relative && relative.IndexOf('?', StringComparison.Ordinal) is var at and >= 0 ? relative[at..] : "";
        foreach (var pair in query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            if (pair.StartsWith("key=", StringComparison.OrdinalIgnoreCase))
            {
                record.AddSecret(Uri.UnescapeDataString(pair[4..]));
            }
        }
    }
}
