namespace Glassbox.Gateway.Lifecycle;

/// <summary>
/// The gateway's own probes, answered before any proxy route: <c>/healthz</c> (liveness: the process is up)
/// and <c>/readyz</c> (readiness: 503 from the moment shutdown began). Neither is forwarded nor traced.
/// </summary>
internal static class ProbeEndpoints
{
    public const string Liveness = "/healthz";
    public const string Readiness = "/readyz";

    public static void MapProbes(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(Liveness, () => "ok");
        endpoints.MapGet(Readiness, (DrainCoordinator drain) => drain.IsAcceptingCalls
            ? Results.Text("ready")
            : Results.Text("shutting down", statusCode: StatusCodes.Status503ServiceUnavailable));
    }
}
