using Glassbox.Gateway.Attribution;

namespace Glassbox.Gateway.Tests.Attribution;

public sealed class ApiKeyIdTests
{
    [Fact]
    public void Of_SameKey_SameShortIdThatIsNotTheKey()
    {
        var ids = new ApiKeyId("deployment-secret");

        var id = ids.Of("sk-ant-0123456789");

        Assert.Equal(id, ids.Of("sk-ant-0123456789"));
        Assert.Matches("^key_[0-9a-f]{16}$", id);
        Assert.NotEqual(id, ids.Of("sk-ant-0123456780"));
    }

    [Fact]
    public void Of_DifferentSecret_DifferentId()
    {
        Assert.NotEqual(new ApiKeyId("a").Of("sk-1"), new ApiKeyId("b").Of("sk-1"));
    }

    [Fact]
    public void Of_NoSecret_DocumentedUnkeyedSha256Prefix()
    {
        // SHA-256("sk-1") = 5e6de9a4b6c27a3a…: the first 8 bytes in lower-case hex.
        var expected = "key_" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("sk-1"u8)[..8]);

        Assert.Equal(expected, new ApiKeyId(null).Of("sk-1"));
        Assert.False(new ApiKeyId(null).Keyed);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Of_NoKey_Null(string? key)
    {
        Assert.Null(new ApiKeyId("s").Of(key));
    }
}
