namespace Glassbox.Gateway.Tests; public sealed class Placeholder { [Fact] public void X() { } }
