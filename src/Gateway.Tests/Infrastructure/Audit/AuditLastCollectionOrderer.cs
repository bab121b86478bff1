using Xunit.Abstractions;

[assembly: TestCollectionOrderer("Glassbox.Gateway.Tests.Infrastructure.Audit.AuditLastCollectionOrderer", "Glassbox.Gateway.Tests")]

namespace Glassbox.Gateway.Tests.Infrastructure.Audit;

/// <summary>Marks the collection of the whole-suite audit, which must run after every other test.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SuiteAuditGroup
{
    public const string Name = "Suite audit (runs last)";
}

/// <summary>
/// Keeps xunit's order but moves the audit's collection to the end. xunit 2 runs the parallel collections
/// first, then the non-parallel ones one at a time in this order: the audit (non-parallel) runs last.
/// </summary>
public sealed class AuditLastCollectionOrderer : ITestCollectionOrderer
{
    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections)
    {
        var all = testCollections.ToList();
        return all.Where(c => c.DisplayName != SuiteAuditGroup.Name).Concat(all.Where(c => c.DisplayName == SuiteAuditGroup.Name));
    }
}
