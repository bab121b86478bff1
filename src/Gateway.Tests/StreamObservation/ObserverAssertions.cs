using Glassbox.Gateway.StreamObservation;

namespace Glassbox.Gateway.Tests.StreamObservation;

internal static class ObserverAssertions
{
    /// <summary>Asserts the facts are the same whether the body arrives whole or split in two at any byte offset.</summary>
    public static FactsSnapshot AssertSameFactsAtEverySplit(Func<ResponseFacts, IResponseObserver> create, byte[] bytes)
    {
        var expected = FactsSnapshot.Of(ObserverFeeding.FeedWhole(create, bytes));
        for (var offset = 0; offset <= bytes.Length; offset++)
        {
            var actual = FactsSnapshot.Of(ObserverFeeding.Feed(create, [bytes[..offset], bytes[offset..]]));
            if (actual != expected)
            {
                Assert.Fail($"Split at byte {offset} gave {actual}, whole body gave {expected}");
            }
        }

        return expected;
    }
}
