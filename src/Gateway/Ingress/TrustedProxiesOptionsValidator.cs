using Microsoft.Extensions.Options;

namespace Glassbox.Gateway.Ingress;

/// <summary>A CIDR that does not parse stops start-up, naming the key and the entry.</summary>
internal sealed class TrustedProxiesOptionsValidator : IValidateOptions<TrustedProxiesOptions>
{
    public ValidateOptionsResult Validate(string? name, TrustedProxiesOptions options)
    {
        var bad = KnownNetworks.Entries(options).Where(entry => !KnownNetworks.TryParse(entry, out _)).ToList();
        return bad.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail($"{TrustedProxiesOptions.SectionName}:KnownNetworks: '{string.Join("', '", bad)}' is not a CIDR range (e.g. 10.0.0.0/8, fd00::/8).");
    }
}
