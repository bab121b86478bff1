using System.Globalization;
using System.Text;

namespace Glassbox.Gateway.Telemetry.Prometheus;

/// <summary>Numbers as the exposition formats write them.</summary>
internal static class ExpositionNumbers
{
    private const int MaxDigits = 32;

    /// <summary>A sample value: the shortest text that reads back as the same double; <c>+Inf</c>, <c>-Inf</c>, <c>NaN</c>.</summary>
    public static void AppendDouble(StringBuilder text, double value)
    {
        if (double.IsFinite(value))
        {
            text.Append(value.ToString(CultureInfo.InvariantCulture));
        }
        else
        {
            text.Append(double.IsNaN(value) ? "NaN" : value > 0 ? "+Inf" : "-Inf");
        }
    }

    /// <summary>Seconds since the Unix epoch, to the tick.</summary>
    public static void AppendUnixSeconds(StringBuilder text, DateTimeOffset time) =>
        AppendDouble(text, (time.UtcDateTime.Ticks - DateTimeOffset.UnixEpoch.Ticks) / (double)TimeSpan.TicksPerSecond);

    /// <summary>
    /// An OpenMetrics canonical number, as <c>le</c> bounds and number-valued labels need it: at least one fractional
    /// digit (<c>1.0</c>), scientific notation from 1e6 and below 1e-4 (<c>1.048576e+06</c>), zero as <c>0.0</c>.
    /// </summary>
    public static void AppendCanonical(StringBuilder text, double value)
    {
        if (!double.IsFinite(value))
        {
            AppendDouble(text, value);
            return;
        }

        if (value == 0)
        {
            text.Append("0.0");
            return;
        }

        // Decompose the shortest round-trip text into its significant digits and a decimal exponent, then re-render.
        Span<char> shortest = stackalloc char[MaxDigits];
        value.TryFormat(shortest, out var length, default, CultureInfo.InvariantCulture);
        var digitsText = shortest[..length];
        var negative = digitsText[0] == '-';
        if (negative)
        {
            digitsText = digitsText[1..];
        }

        var exponent = 0;
        var e = digitsText.IndexOfAny('E', 'e');
        if (e >= 0)
        {
            exponent = int.Parse(digitsText[(e + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            digitsText = digitsText[..e];
        }

        Span<char> digits = stackalloc char[MaxDigits];
        var count = 0;
        var integerDigits = digitsText.Length;
        for (var i = 0; i < digitsText.Length; i++)
        {
            if (digitsText[i] == '.')
            {
                integerDigits = i;
            }
            else
            {
                digits[count++] = digitsText[i];
            }
        }

        exponent += integerDigits - 1;
        var start = 0;
        while (start < count - 1 && digits[start] == '0')
        {
            start++;
            exponent--;
        }

        while (count - start > 1 && digits[count - 1] == '0')
        {
            count--;
        }

        var significand = digits[start..count];
        if (negative)
        {
            text.Append('-');
        }

        if (exponent is < -4 or >= 6)
        {
            text.Append(significand[0]);
            if (significand.Length > 1)
            {
                text.Append('.').Append(significand[1..]);
            }

            text.Append('e').Append(exponent < 0 ? '-' : '+');
            text.Append(Math.Abs(exponent).ToString(Math.Abs(exponent) >= 100 ? "000" : "00", CultureInfo.InvariantCulture));
        }
        else if (exponent < 0)
        {
            text.Append("0.").Append('0', -exponent - 1).Append(significand);
        }
        else
        {
            var integer = exponent + 1;
            for (var i = 0; i < integer; i++)
            {
                text.Append(i < significand.Length ? significand[i] : '0');
            }

            text.Append('.');
            if (significand.Length > integer)
            {
                text.Append(significand[integer..]);
            }
            else
            {
                text.Append('0');
            }
        }
    }
}
