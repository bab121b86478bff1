namespace Glassbox.Bench.OtlpSink;

/// <summary>
/// Counts the innermost items of an OTLP export request without deserialising it: spans are field 1 → 2 → 2
/// (resource_spans → scope_spans → spans), metrics 1 → 2 → 2, log records 1 → 2 → 2 as well.
/// </summary>
internal static class ProtobufCount
{
    public static long Items(ReadOnlySpan<byte> message) => CountNested(message, [1, 2, 2], 0);

    private static long CountNested(ReadOnlySpan<byte> message, int[] path, int depth)
    {
        long count = 0;
        var position = 0;
        while (position < message.Length)
        {
            var key = ReadVarint(message, ref position);
            var field = (int)(key >> 3);
            switch ((int)(key & 7))
            {
                case 0:
                    ReadVarint(message, ref position);
                    break;
                case 1:
                    position += 8;
                    break;
                case 5:
                    position += 4;
                    break;
                case 2:
                    var length = (int)ReadVarint(message, ref position);
                    if (field == path[depth])
                    {
                        count += depth == path.Length - 1 ? 1 : CountNested(message.Slice(position, length), path, depth + 1);
                    }

                    position += length;
                    break;
                default:
                    throw new InvalidDataException($"unsupported wire type {key & 7}");
            }
        }

        return count;
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> message, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = message[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }

        throw new InvalidDataException("varint too long");
    }
}
