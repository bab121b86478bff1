using System.Net.Http.Headers;

namespace Glassbox.Gateway.Tests.Faults;

/// <summary>What a client got from one response: its bytes, and whether the body ended cleanly or broke.</summary>
internal sealed record ClientOutcome(int Status, MediaTypeHeaderValue? ContentType, long Bytes, byte[] Head, byte[] Tail, bool EndedCleanly)
{
    private const int KeptBytes = 4096;

    /// <summary>
    /// Sends and reads. A response the gateway aborts (the upstream broke mid-body) may be reset before the client
    /// has even read its headers: that is status 0, nothing received, not clean.
    /// </summary>
    public static async Task<ClientOutcome> SendAsync(HttpClient client, HttpRequestMessage request)
    {
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        }
        catch (HttpRequestException)
        {
            return new ClientOutcome(0, null, 0, [], [], EndedCleanly: false);
        }

        using (response)
        {
            return await ReadAsync(response);
        }
    }

    /// <summary>Reads the whole body without keeping it (only its first and last 4 KB), tolerating a broken end.</summary>
    public static async Task<ClientOutcome> ReadAsync(HttpResponseMessage response)
    {
        var head = new MemoryStream();
        var tail = new byte[KeptBytes];
        var tailLength = 0;
        long total = 0;
        var clean = true;
        var buffer = new byte[64 * 1024];
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync();
            int read;
            while ((read = await body.ReadAsync(buffer)) > 0)
            {
                if (head.Length < KeptBytes)
                {
                    head.Write(buffer, 0, (int)Math.Min(read, KeptBytes - head.Length));
                }

                // Keep the last KeptBytes bytes seen.
                if (read >= KeptBytes)
                {
                    buffer.AsSpan(read - KeptBytes, KeptBytes).CopyTo(tail);
                    tailLength = KeptBytes;
                }
                else
                {
                    var keep = Math.Min(tailLength, KeptBytes - read);
                    tail.AsSpan(tailLength - keep, keep).CopyTo(tail);
                    buffer.AsSpan(0, read).CopyTo(tail.AsSpan(keep));
                    tailLength = keep + read;
                }

                total += read;
            }
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            clean = false;
        }

        return new ClientOutcome((int)response.StatusCode, response.Content.Headers.ContentType, total, head.ToArray(), tail[..tailLength], clean);
    }

    public string HeadText => System.Text.Encoding.UTF8.GetString(Head);

    public string TailText => System.Text.Encoding.UTF8.GetString(Tail);
}
