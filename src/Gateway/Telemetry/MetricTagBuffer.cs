using System.Runtime.CompilerServices;

namespace Glassbox.Gateway.Telemetry;

/// <summary>Room on the stack for the tags of one call's measurements (<see cref="CallTelemetry"/>).</summary>
[InlineArray(Capacity)]
internal struct MetricTagBuffer
{
    public const int Capacity = 20;

    private KeyValuePair<string, object?> _first;
}
