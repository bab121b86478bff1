using System.Text;
using Glassbox.SimulatedUpstream.Calls;
using Glassbox.SimulatedUpstream.Dialects;
using Glassbox.SimulatedUpstream.Streaming;
using Microsoft.AspNetCore.Http.Features;

namespace Glassbox.SimulatedUpstream.Hostile;

/// <summary>Writes the hostile answers Kestrel can produce (the rest come from <see cref="RawHostileServer"/>).</summary>
internal static class HostileResponses
{
    public const string HtmlPage =
        "<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head>\n"
        + "<body><center><h1>502 Bad Gateway</h1></center><hr><center>cloudfront</center></body></html>\n";

    private const int FillChunkBytes = 64 * 1024;

    public static async Task WriteAsync(CallContext call, SimulatedApi api)
    {
        var http = call.Http;
        var response = http.Response;
        var plan = call.Plan;
        var bytes = plan.HostileBytes ?? HostileKinds.DefaultBytes(plan.Hostile);
        http.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        switch (plan.Hostile)
        {
            case HostileKind.Html200:
                var html = Encoding.UTF8.GetBytes(HtmlPage);
                response.ContentType = "text/html";
                response.ContentLength = html.Length;
                await response.Body.WriteAsync(html, call.Aborted);
                break;

            case HostileKind.SseSaysJson:
                var json = api.CompleteBody(call);
                api.Provider.WriteHeaders(response, plan.Ids, 200, call.Time.GetUtcNow(), plan.HeadersDelayMs);
                response.ContentType = "text/event-stream";
                response.ContentLength = json.Length;
                await response.Body.WriteAsync(json, call.Aborted);
                break;

            case HostileKind.HugeEvent:
                api.Provider.WriteHeaders(response, plan.Ids, 200, call.Time.GetUtcNow(), plan.HeadersDelayMs);
                response.ContentType = api.Provider.StreamContentType;
                await response.StartAsync(call.Aborted);
                await response.Body.WriteAsync("event: ping\ndata: {\"type\":\"ping\",\"pad\":\""u8.ToArray(), call.Aborted);
                await FillAsync(response.Body, bytes, call.Aborted);
                await response.Body.WriteAsync("\"}\n\n"u8.ToArray(), call.Aborted);
                // The stream then goes on as usual: telemetry must pick up again after the skipped event.
                var channel = new SseChannel(response.Body, call, api.WriteErrorEventAsync, api.Framing(call.Http.Request));
                await api.StreamAsync(channel);
                break;

            case HostileKind.NoNewline:
                response.ContentType = api.Provider.StreamContentType;
                response.ContentLength = bytes;
                await FillAsync(response.Body, bytes, call.Aborted);
                break;

            case HostileKind.GzipBomb:
                api.Provider.WriteHeaders(response, plan.Ids, 200, call.Time.GetUtcNow(), plan.HeadersDelayMs);
                response.ContentType = "application/json";
                response.Headers.ContentEncoding = "gzip";
                response.ContentLength = GzipBomb.CompressedBytes(bytes);
                await GzipBomb.WriteAsync(response.Body, bytes, call.Aborted);
                break;

            case HostileKind.CloseBeforeHeaders:
                call.State.ServerReset = true;
                http.Abort();
                break;

            case HostileKind.ShortBody:
                var body = api.CompleteBody(call);
                response.ContentType = "application/json";
                response.ContentLength = body.Length * 2L;
                await response.Body.WriteAsync(body, call.Aborted);
                await response.Body.FlushAsync(call.Aborted);
                await call.ResetAsync();
                break;

            default:
                throw new FormatException($"x-sim-hostile {plan.Hostile} is served only by the raw listener ({nameof(RawHostileServer)}).");
        }
    }

    /// <summary>Writes <paramref name="bytes"/> of 'a' (no line break) in 64 KB writes.</summary>
    public static async Task FillAsync(Stream body, long bytes, CancellationToken cancellationToken)
    {
        var chunk = new byte[FillChunkBytes];
        chunk.AsSpan().Fill((byte)'a');
        for (var left = bytes; left > 0; left -= chunk.Length)
        {
            await body.WriteAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, left)), cancellationToken);
        }

        await body.FlushAsync(cancellationToken);
    }
}
