namespace Glassbox.Gateway.Tests.Deploy.Kubernetes;

/// <summary>A fact that is skipped, with the reason, where kubectl is not installed.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class KubectlFactAttribute : FactAttribute
{
    public KubectlFactAttribute() => Skip = RenderedOverlay.KubectlMissingReason;
}

/// <summary>A theory that is skipped, with the reason, where kubectl is not installed.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class KubectlTheoryAttribute : TheoryAttribute
{
    public KubectlTheoryAttribute() => Skip = RenderedOverlay.KubectlMissingReason;
}
