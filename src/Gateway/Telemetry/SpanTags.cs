using System.Diagnostics;

namespace Glassbox.Gateway.Telemetry;

/// <summary>
/// Appends attributes to a span the gateway owns and writes each name on once. <see cref="Activity.SetTag"/>
/// scans the span's tag list for the name on every call (and a null value scans it again to remove it), which
/// is quadratic over the fifty-odd attributes of a call span; here a missing value is simply not written, and
/// booleans and small counts share boxes instead of allocating one per attribute.
/// </summary>
internal static class SpanTags
{
    private static readonly object True = true;
    private static readonly object False = false;
    private static readonly object[] SmallInts = [.. Enumerable.Range(0, 256).Select(i => (object)i)];
    private static readonly object[] SmallLongs = [.. Enumerable.Range(0, 256).Select(i => (object)(long)i)];

    public static void Put(this Activity span, string name, string? value)
    {
        if (value is not null)
        {
            span.AddTag(name, value);
        }
    }

    public static void Put(this Activity span, string name, bool value) => span.AddTag(name, value ? True : False);

    public static void Put(this Activity span, string name, bool? value)
    {
        if (value is { } known)
        {
            span.Put(name, known);
        }
    }

    public static void Put(this Activity span, string name, int value) =>
        span.AddTag(name, (uint)value < (uint)SmallInts.Length ? SmallInts[value] : value);

    public static void Put(this Activity span, string name, int? value)
    {
        if (value is { } known)
        {
            span.Put(name, known);
        }
    }

    public static void Put(this Activity span, string name, long? value)
    {
        if (value is { } known)
        {
            span.AddTag(name, (ulong)known < (ulong)SmallLongs.Length ? SmallLongs[known] : known);
        }
    }

    public static void Put(this Activity span, string name, double? value)
    {
        if (value is { } known)
        {
            span.AddTag(name, known);
        }
    }

    /// <summary>A value already boxed (a string array, or one shared with another attribute of the same span).</summary>
    public static void PutObject(this Activity span, string name, object? value)
    {
        if (value is not null)
        {
            span.AddTag(name, value);
        }
    }

    /// <summary>The box <see cref="Put(Activity, string, long?)"/> would use, to share it between two attributes with the same value.</summary>
    public static object? Box(long? value) =>
        value is { } known ? (ulong)known < (ulong)SmallLongs.Length ? SmallLongs[known] : known : null;

    public static object Box(bool value) => value ? True : False;
}
