using System.Text;

namespace Sluice.Artifacts;

/// <summary>Writes a string artifact as UTF-8 text without a byte-order mark, so a published report is the text itself, not a JSON string.</summary>
public sealed class TextArtifactSerializer : IArtifactSerializer<string>
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <inheritdoc/>
    public async Task SerializeAsync(string value, Stream destination, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(destination);
        var writer = new StreamWriter(destination, Utf8, bufferSize: 64 * 1024, leaveOpen: true);
        await using (writer.ConfigureAwait(false))
        {
            await writer.WriteAsync(value.AsMemory(), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc/>
    public async ValueTask<string> DeserializeAsync(Stream source, CancellationToken cancellationToken = default)
    {
        using var reader = new StreamReader(source, Utf8, detectEncodingFromByteOrderMarks: false, bufferSize: 64 * 1024, leaveOpen: true);
        return await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
    }
}
