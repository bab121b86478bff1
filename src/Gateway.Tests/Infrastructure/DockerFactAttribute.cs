namespace Glassbox.Gateway.Tests.Infrastructure;

/// <summary>
/// A <see cref="FactAttribute"/> that is skipped, with the reason, unless a Docker engine answers, the docker command
/// line is there, and the Dockerfile's base images are present locally or can be stood in for (root and debootstrap).
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
