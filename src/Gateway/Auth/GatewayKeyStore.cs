using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using Glassbox.Gateway.Configuration;
using Microsoft.Extensions.Options;

namespace Glassbox.Gateway.Auth;

/// <summary>
/// The accepted gateway keys: the inline ones plus those of the keys file, which is re-read when it
/// changes (a bad file keeps the previous keys and is logged). Matching hashes the presented key and
/// compares it with every accepted hash in constant time.
/// </summary>
internal sealed class GatewayKeyStore : IDisposable
{
    private const int MaxKeyBytes = 1024;

    private readonly GatewayKey[] _inline;
    private readonly string? _file;
    private readonly ILogger<GatewayKeyStore> _logger;
    private readonly ITimer? _reload;
    private GatewayKey[] _keys;
    private (DateTime WrittenUtc, long Length) _fileStamp;

    public GatewayKeyStore(IOptions<GlassboxOptions> options, TimeProvider time, ILogger<GatewayKeyStore> logger)
    {
        var auth = options.Value.Auth;
        _logger = logger;
        _inline = auth.Keys.Where(k => !string.IsNullOrEmpty(k)).Select(GatewayKeyFile.Inline).ToArray();
        _file = string.IsNullOrEmpty(auth.KeysFile) ? null : auth.KeysFile;
        _keys = [.. _inline];
        if (_file is not null)
        {
            // Start-up validation already parsed the file: a bad file stops start-up, not a reload.
            Reload(throwOnError: true);
            _reload = time.CreateTimer(_ => Reload(throwOnError: false), null, auth.KeysFileReloadInterval, auth.KeysFileReloadInterval);
        }
    }

    /// <summary>Inbound keys are required: some are configured (inline or by file).</summary>
    public bool Enabled => _file is not null || _inline.Length > 0;

    /// <summary>Finds the key's id. Every accepted hash is compared, whether or not one matched already.</summary>
    public bool TryMatch(string presented, out string id)
    {
        id = "";
        var byteCount = Encoding.UTF8.GetByteCount(presented);
        if (presented.Length == 0 || byteCount > MaxKeyBytes)
        {
            return false;
        }

        Span<byte> utf8 = stackalloc byte[MaxKeyBytes];
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        var written = Encoding.UTF8.GetBytes(presented, utf8);
        SHA256.HashData(utf8[..written], hash);
        CryptographicOperations.ZeroMemory(utf8[..written]);
        var found = false;
        foreach (var key in Volatile.Read(ref _keys))
        {
            if (CryptographicOperations.FixedTimeEquals(hash, key.Sha256) && !found)
            {
                found = true;
                id = key.Id;
            }
        }

        return found;
    }

    public void Dispose() => _reload?.Dispose();

    private void Reload(bool throwOnError)
    {
        try
        {
            var info = new FileInfo(_file!);
            var stamp = (info.LastWriteTimeUtc, info.Exists ? info.Length : -1);
            if (stamp == _fileStamp)
            {
                return;
            }

            var fromFile = GatewayKeyFile.Parse(File.ReadAllText(_file!));
            Volatile.Write(ref _keys, [.. _inline, .. fromFile]);
            _fileStamp = stamp;
            AuthLog.KeysLoaded(_logger, _file!, fromFile.Count);
        }
        catch (Exception exception) when (!throwOnError && exception is IOException or UnauthorizedAccessException or FormatException)
        {
            AuthLog.KeysFileRejected(_logger, _file!, exception.Message);
        }
    }
}
