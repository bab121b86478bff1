using System.Buffers;
using System.IO.Pipelines;
using Glassbox.Bench.OtlpSink;
using Microsoft.AspNetCore.Server.Kestrel.Core;

// OTLP/gRPC on h2c: each export is read whole, its items counted, and answered with an empty success message.
// GET /stats (HTTP/1.1 on the same port is not possible with h2c-only, so on a second port) reports the counts.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.ClearProviders();
var grpcPort = int.Parse(builder.Configuration["GRPC_PORT"] ?? "4317", System.Globalization.CultureInfo.InvariantCulture);
var statsPort = int.Parse(builder.Configuration["STATS_PORT"] ?? "4319", System.Globalization.CultureInfo.InvariantCulture);
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.ListenLocalhost(grpcPort, listen => listen.Protocols = HttpProtocols.Http2);
    kestrel.ListenLocalhost(statsPort, listen => listen.Protocols = HttpProtocols.Http1);
});
var app = builder.Build();
var counts = new Counts();

foreach (var (service, signal) in new[] { ("trace.v1.TraceService", 0), ("metrics.v1.MetricsService", 1), ("logs.v1.LogsService", 2) })
{
    app.MapPost($"/opentelemetry.proto.collector.{service}/Export", async context =>
    {
        var body = await ReadAllAsync(context.Request.BodyReader, context.RequestAborted);
        // gRPC framing: 1 byte compressed flag, 4 bytes big-endian length, then the message.
        var items = body.Length >= 5 && body[0] == 0 ? ProtobufCount.Items(body.AsSpan(5)) : 0;
        counts.Add(signal, body.Length, items);
        context.Response.ContentType = "application/grpc";
        context.Response.AppendTrailer("grpc-status", "0");
        await context.Response.Body.WriteAsync(new byte[5], context.RequestAborted);
    });
}

app.MapGet("/stats", () => counts.ToString());
app.Run();

static async Task<byte[]> ReadAllAsync(PipeReader reader, CancellationToken cancellation)
{
    while (true)
    {
        var result = await reader.ReadAsync(cancellation);
        if (result.IsCompleted)
        {
            var bytes = result.Buffer.ToArray();
            reader.AdvanceTo(result.Buffer.End);
            return bytes;
        }

        reader.AdvanceTo(result.Buffer.Start, result.Buffer.End);
    }
}

internal sealed class Counts
{
    private readonly long[] _requests = new long[3];
    private readonly long[] _bytes = new long[3];
    private readonly long[] _items = new long[3];

    public void Add(int signal, long bytes, long items)
    {
        Interlocked.Increment(ref _requests[signal]);
        Interlocked.Add(ref _bytes[signal], bytes);
        Interlocked.Add(ref _items[signal], items);
    }

    public override string ToString() =>
        $"{{\"spans\":{Interlocked.Read(ref _items[0])},\"metrics\":{Interlocked.Read(ref _items[1])},\"log_records\":{Interlocked.Read(ref _items[2])}," +
        $"\"exports\":{Interlocked.Read(ref _requests[0]) + Interlocked.Read(ref _requests[1]) + Interlocked.Read(ref _requests[2])}," +
        $"\"bytes\":{Interlocked.Read(ref _bytes[0]) + Interlocked.Read(ref _bytes[1]) + Interlocked.Read(ref _bytes[2])}}}";
}
