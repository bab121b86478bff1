using Microsoft.Extensions.Options;

namespace Glassbox.Gateway.Telemetry.Prometheus;

/// <summary>A usable scrape path that shadows no gateway route, and a real port number.</summary>
internal sealed class MetricsEndpointOptionsValidator : IValidateOptions<MetricsEndpointOptions>
{
    public ValidateOptionsResult Validate(string? name, MetricsEndpointOptions options)
    {
        var failures = new List<string>();
        var path = options.Path;
        if (!IsPlainPath(path))
        {
            failures.Add($"{MetricsEndpointOptions.SectionName}:Path must be a path starting with '/' (letters, digits, '.', '_', '~', '-', '/').");
        }
        else if (string.Equals(path, Lifecycle.ProbeEndpoints.Liveness, StringComparison.OrdinalIgnoreCase)
            || string.Equals(path, Lifecycle.ProbeEndpoints.Readiness, StringComparison.OrdinalIgnoreCase)
            || path.StartsWith("/v1/", StringComparison.OrdinalIgnoreCase) || path == "/")
        {
            // The AI routes and the probes keep their paths; a scrape path under /v1/ would shadow an upstream API.
            failures.Add($"{MetricsEndpointOptions.SectionName}:Path '{path}' collides with a gateway route (/, /healthz, /readyz, /v1/...).");
        }

        if (options.Port is < 1 or > 65535)
        {
            failures.Add($"{MetricsEndpointOptions.SectionName}:Port must be between 1 and 65535.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary><c>^/[A-Za-z0-9._~/-]*$</c>, without a regular expression to compile at start-up.</summary>
    private static bool IsPlainPath(string? path)
    {
        if (string.IsNullOrEmpty(path) || path[0] != '/')
        {
            return false;
        }

        foreach (var c in path)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '_' or '~' or '/' or '-'))
            {
                return false;
            }
        }

        return true;
    }
}
