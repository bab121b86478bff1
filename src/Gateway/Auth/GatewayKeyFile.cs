using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Glassbox.Gateway.Auth;

/// <summary>
/// Reads a hashed-keys file: one <c>id sha256:hex</c> per line, <c>#</c> starts a comment. Only hashes are
/// stored, so the file can be shared with whoever rotates keys without handing out the keys themselves.
/// </summary>
internal static class GatewayKeyFile
{
    private const string HashPrefix = "sha256:";

    /// <summary>Parses the file's text; throws <see cref="FormatException"/> naming the first bad line.</summary>
    public static IReadOnlyList<GatewayKey> Parse(string text)
    {
        var keys = new List<GatewayKey>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        var number = 0;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 2 || !parts[1].StartsWith(HashPrefix, StringComparison.OrdinalIgnoreCase) || parts[1].Length != HashPrefix.Length + 64)
            {
                throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"line {number}: expected '<id> sha256:<64 hex digits>'"));
            }

            byte[] hash;
            try
            {
                hash = Convert.FromHexString(parts[1].AsSpan(HashPrefix.Length));
            }
            catch (FormatException)
            {
                throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"line {number}: the hash is not hexadecimal"));
            }

            if (!ids.Add(parts[0]))
            {
                throw new FormatException(string.Create(CultureInfo.InvariantCulture, $"line {number}: id '{parts[0]}' appears twice"));
            }

            keys.Add(new GatewayKey(parts[0], hash));
        }

        return keys;
    }

    /// <summary>A key given inline in configuration: its id is derived from its hash, so it can be recorded without revealing the key.</summary>
    public static GatewayKey Inline(string key)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        return new GatewayKey("key-" + Convert.ToHexStringLower(hash)[..8], hash);
    }
}
