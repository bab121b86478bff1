using System.Text.Json;

namespace Glassbox.SimulatedUpstream.Stats;

internal static class StatsEndpoints
{
    public static void MapStatsEndpoints(this WebApplication app)
    {
        app.MapGet("/_sim/stats", (HttpContext context, SimulatorStats stats) => WriteStatsAsync(context, stats));
        app.MapPost("/_sim/reset", (SimulatorStats stats) =>
        {
            stats.Reset();
            return Results.NoContent();
        });
    }

    private static async Task WriteStatsAsync(HttpContext context, SimulatorStats stats)
    {
        string? scenario = context.Request.Query["scenario"];
        context.Response.ContentType = "application/json";
        await using var writer = new Utf8JsonWriter(context.Response.Body);
        writer.WriteStartObject();
        writer.WriteNumber("requests", stats.Requests);
        writer.WriteNumber("active", stats.Active);
        writer.WriteNumber("aborted", stats.Aborted);
        writer.WriteNumber("completed", stats.Completed);
        writer.WriteNumber("resets", stats.Resets);
        writer.WriteBoolean("lastAuthPresent", stats.LastAuthPresent);
        if (!string.IsNullOrEmpty(scenario))
        {
            writer.WriteString("scenario", scenario);
            writer.WriteNumber("attempts", stats.ScenarioAttempts(scenario));
        }

        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted);
    }
}
