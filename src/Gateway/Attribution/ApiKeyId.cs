using System.Security.Cryptography;
using System.Text;

namespace Glassbox.Gateway.Attribution;

/// <summary>
/// A short, stable id of an API key that cannot be turned back into the key: <c>key_</c> and the first 16 hex digits
/// of HMAC-SHA-256(secret, key), or of SHA-256(key) when no <c>Glassbox:Attribution:KeyIdSecret</c> is set. With a
/// secret, nobody without it can test a guessed key against an id; without one the id is still not reversible, and
/// the same key gets the same id in every deployment.
/// </summary>
internal sealed class ApiKeyId(string? secret)
{
    private const string Prefix = "key_";
    private const int MaxKeyBytes = 1024;
    private readonly byte[]? _secret = string.IsNullOrEmpty(secret) ? null : Encoding.UTF8.GetBytes(secret);

    public bool Keyed => _secret is not null;

    public string? Of(string? key)
    {
        if (string.IsNullOrEmpty(key) || Encoding.UTF8.GetByteCount(key) > MaxKeyBytes)
        {
            return null;
        }

        Span<byte> utf8 = stackalloc byte[MaxKeyBytes];
        Span<byte> hash = stackalloc byte[HMACSHA256.HashSizeInBytes];
        var written = Encoding.UTF8.GetBytes(key, utf8);
        if (_secret is null)
        {
            SHA256.HashData(utf8[..written], hash);
        }
        else
        {
            HMACSHA256.HashData(_secret, utf8[..written], hash);
        }

        CryptographicOperations.ZeroMemory(utf8[..written]);
        return Prefix + Convert.ToHexStringLower(hash[..8]);
    }
}
