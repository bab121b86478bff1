using Glassbox.Gateway.Dialects;
using Glassbox.Gateway.Requests;
using Glassbox.Gateway.StreamObservation;
using Glassbox.Gateway.Tests.Infrastructure;
using Glassbox.Gateway.Tests.StreamObservation;

namespace Glassbox.Gateway.Tests.Requests;

/// <summary>Every input in <c>fuzz/corpus/crashes</c> (each once crashed a parser) goes through every parser without an exception.</summary>
public sealed class FuzzCrashRegressionTests
{
    public static TheoryData<string> Crashes() => [.. FuzzCorpus.Files("crashes").Select(f => Path.GetFileName(f))];

    [Theory]
    [MemberData(nameof(Crashes))]
    public void EveryParser_CrashInput_NoException(string name)
    {
        var bytes = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "FuzzCorpus", "crashes", name));
        foreach (var dialect in ApiDialects.All)
        {
            dialect.ReadRequest(bytes, "", captureInput: true);
            foreach (var isEventStream in new[] { true, false })
            {
                var facts = ObserverFeeding.Feed(f => ResponseObserverFactory.Create(dialect, isEventStream, f)!, [bytes]);
                Assert.NotNull(facts);
            }
        }
    }
}
