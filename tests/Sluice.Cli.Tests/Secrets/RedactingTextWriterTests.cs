using Sluice.Cli.Output;
using Sluice.Secrets;

namespace Sluice.Cli.Tests.Secrets;

/// <summary>The console writers mask secrets, also when one is written in pieces, and pass text straight through when there are none.</summary>
public sealed class RedactingTextWriterTests
{
    [Fact]
    public void Write_SecretInPieces_MaskedWhole()
    {
        var secrets = new SecretRedactor();
        secrets.Add("Api:Key", "piecewise-secret");
        using var inner = new StringWriter();
        using var writer = new RedactingTextWriter(inner, secrets);

        writer.Write("key: piece");
        writer.Write('w');
        writer.Write("ise-secret and more\nsecond ");
        Assert.Equal("key: *** and more\n", inner.ToString());

        writer.Write("piecewise-secret");
        writer.Flush();
        Assert.Equal("key: *** and more\nsecond ***", inner.ToString());
    }

    [Fact]
    public void Write_NoSecrets_PassedStraightThrough()
    {
        using var inner = new StringWriter();
        using var writer = new RedactingTextWriter(inner, new SecretRedactor());

        writer.Write("partial");

        Assert.Equal("partial", inner.ToString());
    }
}
