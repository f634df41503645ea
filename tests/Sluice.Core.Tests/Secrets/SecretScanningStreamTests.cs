using System.Text;

namespace Sluice.Secrets;

/// <summary>Output is checked for secrets as it is written; a secret is refused before any of its bytes is passed on.</summary>
public sealed class SecretScanningStreamTests
{
    private const string Value = "sk_live_Zq8é+/Kx";

    private static SecretRedactor Redactor()
    {
        var redactor = new SecretRedactor();
        redactor.Add("Api:Key", Value);
        return redactor;
    }

    private static async Task<(Exception? Error, byte[] Passed)> WriteAsync(byte[] data, int piece)
    {
        using var destination = new MemoryStream();
        Exception? error = await Record.ExceptionAsync(() => SecretScanningStream.WriteAsync(destination, Redactor(), "step 'report'", async stream =>
        {
            for (int i = 0; i < data.Length; i += piece)
            {
                await stream.WriteAsync(data.AsMemory(i, Math.Min(piece, data.Length - i)));
            }

            await stream.FlushAsync();
        }, CancellationToken.None));
        return (error, destination.ToArray());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(4096)]
    [InlineData(1 << 20)]
    public async Task Write_SecretAnywhere_RefusedBeforeItsBytesPass(int piece)
    {
        // The secret straddles the scanner's 64 KiB chunk boundary, and its 'é' is split between two chunks.
        byte[] before = Encoding.UTF8.GetBytes(new string('a', (64 * 1024) - 10));
        byte[] data = [.. before, .. Encoding.UTF8.GetBytes($"key={Value};"), .. Encoding.UTF8.GetBytes(new string('z', 5000))];

        (Exception? error, byte[] passed) = await WriteAsync(data, piece);

        var leak = Assert.IsType<SecretLeakException>(error);
        Assert.Equal("Output of step 'report' contains the secret Api:Key (raw form); refusing to store or publish it. Keep secrets out of outputs (a Secret serializes as ***).", leak.Message);
        Assert.True(passed.Length <= before.Length + "key=".Length, $"{passed.Length} bytes passed on");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(333)]
    [InlineData(1 << 20)]
    public async Task Write_CleanOutput_PassedOnUnchanged(int piece)
    {
        byte[] data = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 30_000).Select(i => $"row {i}: é {i * 7}\n")));

        (Exception? error, byte[] passed) = await WriteAsync(data, piece);

        Assert.Null(error);
        Assert.Equal(data, passed);
    }

    [Fact]
    public async Task Write_Base64OfSecret_Refused()
    {
        string json = $"{{\"blob\":\"{Convert.ToBase64String(Encoding.UTF8.GetBytes("header:" + Value + ":trailer"))}\"}}";

        (Exception? error, _) = await WriteAsync(Encoding.UTF8.GetBytes(json), 5);

        Assert.Equal("base64", Assert.IsType<SecretLeakException>(error).Form);
    }

    [Fact]
    public async Task Write_NoSecrets_WritesStraightThrough()
    {
        using var destination = new MemoryStream();
        Stream? seen = null;
        await SecretScanningStream.WriteAsync(destination, new SecretRedactor(), "step 'x'", s =>
        {
            seen = s;
            return s.WriteAsync("plain"u8.ToArray()).AsTask();
        }, CancellationToken.None);

        Assert.Same(destination, seen);
        Assert.Equal("plain"u8.ToArray(), destination.ToArray());
    }
}
