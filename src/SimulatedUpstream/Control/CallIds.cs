namespace Glassbox.SimulatedUpstream.Control;

/// <summary>Identifier suffix shared by every id of one call (<c>msg_</c>, <c>req_</c>, <c>chatcmpl-</c>…).</summary>
internal sealed record CallIds(string Core)
{
    public static CallIds Random() => new("01" + Guid.NewGuid().ToString("N")[..22]);

    public string Request => "req_" + Core;
}
