using System.Diagnostics.CodeAnalysis;
using System.Text;
using Sluice.Secrets;

namespace Sluice.Cli.Output;

/// <summary>Writes text to another writer with every known secret masked; passes text straight through while no secret is known.</summary>
/// <remarks>
/// While secrets are known, text is held until the end of its line (or a flush), so a secret written in two
/// pieces is still masked whole. Thread-safe. Disposing flushes what is held but leaves the inner writer open.
/// </remarks>
internal sealed class RedactingTextWriter : TextWriter
{
    private readonly TextWriter _inner;
    private readonly SecretRedactor _secrets;
    private readonly StringBuilder _held = new();
    private readonly Lock _gate = new();

    public RedactingTextWriter(TextWriter inner, SecretRedactor secrets)
        : base(inner.FormatProvider)
    {
        _inner = inner;
        _secrets = secrets;
        CoreNewLine = inner.NewLine.ToCharArray();
    }

    public override Encoding Encoding => _inner.Encoding;

    [AllowNull]
    public override string NewLine
    {
        get => base.NewLine;
        set
        {
            base.NewLine = value;
            _inner.NewLine = value;
        }
    }

    public override void Write(char value) => Write(new ReadOnlySpan<char>(in value));

    public override void Write(char[] buffer, int index, int count) => Write(buffer.AsSpan(index, count));

    public override void Write(string? value) => Write(value.AsSpan());

    public override void Write(ReadOnlySpan<char> buffer)
    {
        lock (_gate)
        {
            if (_secrets.IsEmpty && _held.Length == 0)
            {
                _inner.Write(buffer);
                return;
            }

            _held.Append(buffer);
            if (buffer.Contains('\n'))
            {
                Release(wholeLinesOnly: true);
            }
        }
    }

    public override void WriteLine(string? value)
    {
        lock (_gate)
        {
            Write(value);
            Write(CoreNewLine);
        }
    }

    public override void Flush()
    {
        lock (_gate)
        {
            Release(wholeLinesOnly: false);
            _inner.Flush();
        }
    }

    public override Task FlushAsync(CancellationToken cancellationToken)
    {
        Flush();
        return Task.CompletedTask;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            lock (_gate)
            {
                Release(wholeLinesOnly: false);
            }
        }

        base.Dispose(disposing);
    }

    private void Release(bool wholeLinesOnly)
    {
        int end = _held.Length;
        if (wholeLinesOnly)
        {
            while (end > 0 && _held[end - 1] != '\n')
            {
                end--;
            }
        }

        if (end == 0)
        {
            return;
        }

        string text = _held.ToString(0, end);
        _held.Remove(0, end);
        _inner.Write(_secrets.Redact(text));
    }
}
