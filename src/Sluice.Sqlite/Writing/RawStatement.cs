using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Sluice.Sqlite.Writing;

/// <summary>A write statement prepared once on the writer connection and executed through SQLite's C API.</summary>
/// <remarks>
/// The writer thread is the store's bottleneck under load, and each <see cref="SqliteCommand"/> execution spends
/// as long in the provider (parameter objects, a data reader per call) as SQLite spends on the row. Binding and
/// stepping the prepared statement directly halves the writer's cost per call (docs/benchmarks.md). Errors surface
/// as <see cref="SqliteException"/> with SQLite's codes, as the provider would raise them.
/// </remarks>
internal sealed class RawStatement : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly sqlite3_stmt _statement;
    private byte[] _utf8 = new byte[256];

    // What each parameter holds now. SQLite keeps bindings across sqlite3_reset, so a value equal to the one already
    // bound (the same string object, the same integer, NULL again) is not bound again: of the ~40 values a no-op step
    // writes, more than half repeat (run id, statuses, kinds, NULL error columns), and each bind is a P/Invoke
    // that takes the connection's mutex.
    private readonly Bound[] _bound;

    public RawStatement(SqliteConnection connection, string sql)
    {
        _connection = connection;
        int rc = raw.sqlite3_prepare_v2(connection.Handle, sql, out _statement);
        Check(rc);
        _bound = new Bound[raw.sqlite3_bind_parameter_count(_statement) + 1];
    }

    /// <summary>Binds the values by position, runs the statement to completion and returns the rows it changed.</summary>
    public int Execute(ReadOnlySpan<object> values)
    {
        try
        {
            for (int i = 0; i < values.Length; i++)
            {
                Bind(i + 1, values[i]);
            }

            return Run();
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    /// <summary>Binds one value to a 1-based parameter; multi-row statements bind this way, row by row, without an array of boxes.</summary>
    public void Bind(int index, object? value)
    {
        switch (value)
        {
            case null or DBNull:
                Bind(index, (string?)null);
                break;
            case string text:
                Bind(index, text);
                break;
            case int number:
                Bind(index, (long)number);
                break;
            case long number:
                Bind(index, number);
                break;
            case bool flag:
                Bind(index, flag ? 1L : 0L);
                break;
            default:
                throw new ArgumentException($"Cannot bind a {value.GetType().Name} to parameter {index}.", nameof(value));
        }
    }

    /// <summary>Binds text, or NULL for <see langword="null"/>.</summary>
    /// <remarks>
    /// Encoded to UTF-8, the database's encoding, into a buffer kept for the statement: text bound as UTF-16 is copied
    /// by SQLite and then converted at every step (two allocations and a translation per value, a few percent of the
    /// writer's time), and the provider's string overload allocates a byte array per call. SQLite copies the bytes.
    /// </remarks>
    public void Bind(int index, string? value)
    {
        ref Bound slot = ref Slot(index);
        if (value is null)
        {
            if (slot.Kind != BoundKind.Null)
            {
                slot.Kind = BoundKind.Unknown;
                Check(raw.sqlite3_bind_null(_statement, index));
                slot.Kind = BoundKind.Null;
            }

            return;
        }

        // The same string object holds the same text: a run's id, a status or a kind repeats row after row.
        if (slot.Kind == BoundKind.Text && ReferenceEquals(slot.Text, value))
        {
            return;
        }

        slot.Kind = BoundKind.Unknown;
        if (value.Length == 0)
        {
            // An empty span is a null pointer to the provider, which SQLite would store as NULL, not as ''.
            Check(raw.sqlite3_bind_text16(_statement, index, value.AsSpan()));
        }
        else
        {
            int most = Encoding.UTF8.GetMaxByteCount(value.Length);
            if (most > _utf8.Length)
            {
                _utf8 = new byte[Math.Max(most, _utf8.Length * 2)];
            }

            int length = Encoding.UTF8.GetBytes(value, _utf8);
            Check(raw.sqlite3_bind_text(_statement, index, new ReadOnlySpan<byte>(_utf8, 0, length)));
        }

        slot.Text = value;
        slot.Kind = BoundKind.Text;
    }

    /// <summary>Binds a time in its stored text form (docs/file-formats.md), or NULL for <see langword="null"/>.</summary>
    /// <remarks>
    /// Formatted straight into UTF-8 on the stack: a string per time was most of what the writer allocated (a no-op
    /// step writes four or five times). The same instant bound again to the same parameter is not bound again.
    /// </remarks>
    public void Bind(int index, DateTimeOffset? value)
    {
        if (value is not { } at)
        {
            Bind(index, (string?)null);
            return;
        }

        ref Bound slot = ref Slot(index);
        long ticks = at.UtcTicks;
        if (slot.Kind == BoundKind.Time && slot.Integer == ticks)
        {
            return;
        }

        slot.Kind = BoundKind.Unknown;
        Span<byte> buffer = stackalloc byte[StoredValues.TimeFormatLength];
        Check(raw.sqlite3_bind_text(_statement, index, StoredValues.TimeUtf8(at, buffer)));
        slot.Text = null;
        slot.Integer = ticks;
        slot.Kind = BoundKind.Time;
    }

    /// <summary>Binds an integer.</summary>
    public void Bind(int index, long value)
    {
        ref Bound slot = ref Slot(index);
        if (slot.Kind == BoundKind.Integer && slot.Integer == value)
        {
            return;
        }

        slot.Kind = BoundKind.Unknown;
        Check(raw.sqlite3_bind_int64(_statement, index, value));
        slot.Text = null;
        slot.Integer = value;
        slot.Kind = BoundKind.Integer;
    }

    /// <summary>Binds an integer, or NULL for <see langword="null"/>.</summary>
    public void Bind(int index, long? value)
    {
        if (value is { } v)
        {
            Bind(index, v);
        }
        else
        {
            Bind(index, (string?)null);
        }
    }

    /// <summary>Runs the statement with the values bound so far and returns the rows it changed; the statement is reset either way.</summary>
    public int Run()
    {
        try
        {
            int step = raw.sqlite3_step(_statement);
            if (step is not (raw.SQLITE_DONE or raw.SQLITE_ROW))
            {
                Check(step);
            }

            return raw.sqlite3_changes(_connection.Handle);
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    public void Dispose() => _statement.Dispose();

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            sqlite3 db = _connection.Handle!;
            throw new SqliteException(
                $"SQLite Error {rc}: '{raw.sqlite3_errmsg(db).utf8_to_string()}'.", rc, raw.sqlite3_extended_errcode(db));
        }
    }

    private ref Bound Slot(int index)
    {
        if ((uint)index >= (uint)_bound.Length || index == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"The statement has parameters 1 to {_bound.Length - 1}.");
        }

        return ref _bound[index];
    }

    private enum BoundKind : byte
    {
        // Nothing bound yet, or a bind that failed: the next value is bound whatever it is.
        Unknown,
        Null,
        Text,
        Integer,

        // Text holding a time; Integer keeps its UTC ticks.
        Time,
    }

    private struct Bound
    {
        public BoundKind Kind;
        public string? Text;
        public long Integer;
    }
}
