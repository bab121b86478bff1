using Microsoft.Extensions.Options;

namespace Glassbox.Gateway.Configuration;

/// <summary>Every rule of the <c>Glassbox</c> section: the limits, each upstream and the cross-references between them.</summary>
internal sealed class GlassboxOptionsValidator : IValidateOptions<GlassboxOptions>
{
    public ValidateOptionsResult Validate(string? name, GlassboxOptions options)
    {
        var failures = new List<string>();
        if (options.MaxRequestBodyBytes < GlassboxOptions.MinRequestBodyBytes)
        {
            failures.Add($"Glassbox:MaxRequestBodyBytes must be at least {GlassboxOptions.MinRequestBodyBytes} (was {options.MaxRequestBodyBytes}).");
        }

        if (options.MaxObservedBodyBytes is < StreamObservation.ObservationLimits.MinDocumentBytes or > GlassboxOptions.MaxObservedBodyBytesLimit)
        {
            failures.Add($"Glassbox:MaxObservedBodyBytes must be between {StreamObservation.ObservationLimits.MinDocumentBytes} and {GlassboxOptions.MaxObservedBodyBytesLimit} (was {options.MaxObservedBodyBytes}).");
        }

        if (options.MaxCapturedContentChars is < 0 or > GlassboxOptions.MaxCapturedContentCharsLimit)
        {
            failures.Add($"Glassbox:MaxCapturedContentChars must be between 0 and {GlassboxOptions.MaxCapturedContentCharsLimit} (was {options.MaxCapturedContentChars}).");
        }

        if (options.Upstreams.Count == 0)
        {
            failures.Add("Glassbox:Upstreams must name at least one upstream.");
        }

        if (string.IsNullOrWhiteSpace(options.DefaultUpstream))
        {
            failures.Add("Glassbox:DefaultUpstream is required.");
        }
        else if (!options.Upstreams.ContainsKey(options.DefaultUpstream))
        {
            failures.Add($"Glassbox:DefaultUpstream '{options.DefaultUpstream}' is not one of Glassbox:Upstreams.");
        }

        var auth = options.Auth;
        if (auth.KeysFile is { Length: > 0 } keysFile)
        {
            try
            {
                Auth.GatewayKeyFile.Parse(File.ReadAllText(keysFile));
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException)
            {
                failures.Add($"Glassbox:Auth:KeysFile '{keysFile}' cannot be used: {exception.Message}");
            }

            if (auth.KeysFileReloadInterval <= TimeSpan.Zero)
            {
                failures.Add("Glassbox:Auth:KeysFileReloadInterval must be positive.");
            }
        }

        var prefixes = new HashSet<(string, ApiFamily)>();
        foreach (var (upstreamName, upstream) in options.Upstreams)
        {
            var at = $"Glassbox:Upstreams:{upstreamName}";
            if (upstream.BaseUrl is not { IsAbsoluteUri: true } baseUrl || (baseUrl.Scheme != Uri.UriSchemeHttp && baseUrl.Scheme != Uri.UriSchemeHttps))
            {
                failures.Add($"{at}:BaseUrl must be an absolute http or https URL.");
            }

            if (string.IsNullOrWhiteSpace(upstream.Provider))
            {
                failures.Add($"{at}:Provider is required (the gen_ai.provider.name value).");
            }

            if (upstream.PathPrefix.Length > 0 && (!upstream.PathPrefix.StartsWith('/') || upstream.PathPrefix.EndsWith('/')))
            {
                failures.Add($"{at}:PathPrefix must start with '/' and not end with '/'.");
            }

            if (!prefixes.Add((upstream.PathPrefix.ToUpperInvariant(), upstream.Api)))
            {
                failures.Add($"{at}: another {upstream.Api} upstream already uses PathPrefix '{upstream.PathPrefix}'.");
            }

            if (upstream.TrustedCertificatePath is { Length: > 0 } certificate && !File.Exists(certificate))
            {
                failures.Add($"{at}:TrustedCertificatePath '{certificate}' does not exist.");
            }

            var timeouts = upstream.Timeouts;
            if (timeouts.Headers <= TimeSpan.Zero || timeouts.Idle <= TimeSpan.Zero || timeouts.Total <= TimeSpan.Zero)
            {
                failures.Add($"{at}:Timeouts (Headers, Idle, Total) must be positive.");
            }

            var retry = upstream.Retry;
            if (retry.MaxRetries is < 0 or > 10 || retry.BaseDelay < TimeSpan.Zero || retry.MaxDelay < retry.BaseDelay)
            {
                failures.Add($"{at}:Retry needs 0-10 MaxRetries and 0 <= BaseDelay <= MaxDelay.");
            }

            var breaker = upstream.CircuitBreaker;
            if (breaker.FailureRatio is <= 0 or > 1 || breaker.MinimumThroughput < 2
                || breaker.SamplingDuration < TimeSpan.FromMilliseconds(500) || breaker.BreakDuration < TimeSpan.FromMilliseconds(500))
            {
                failures.Add($"{at}:CircuitBreaker needs 0 < FailureRatio <= 1, MinimumThroughput >= 2, and durations of at least 500 ms.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
