namespace Glassbox.Gateway.Tests.Infrastructure;

/// <summary>
/// A <see cref="FactAttribute"/> that is skipped, with the reason, unless a Docker engine answers
/// and the base images named by the repository's Dockerfile are present locally
/// (this workplace reaches no image registry, so a build could not pull them).
/// xunit 2 has no dynamic skip, so the check runs once, at discovery, in the constructor.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class DockerFactAttribute : FactAttribute
{
    public DockerFactAttribute()
    {
        var reason = DockerEnvironment.SkipReason;
        if (reason is not null)
        {
            Skip = reason;
        }
    }
}
