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

    public RawStatement(SqliteConnection connection, string sql)
    {
        _connection = connection;
        int rc = raw.sqlite3_prepare_v2(connection.Handle, sql, out _statement);
        Check(rc);
    }

    /// <summary>Binds the values by position, runs the statement to completion and returns the rows it changed.</summary>
    public int Execute(ReadOnlySpan<object> values)
    {
        try
        {
            for (int i = 0; i < values.Length; i++)
            {
                int index = i + 1;
                int rc = values[i] switch
                {
                    null or DBNull => raw.sqlite3_bind_null(_statement, index),
                    string text => raw.sqlite3_bind_text(_statement, index, text),
                    int number => raw.sqlite3_bind_int(_statement, index, number),
                    long number => raw.sqlite3_bind_int64(_statement, index, number),
                    bool flag => raw.sqlite3_bind_int(_statement, index, flag ? 1 : 0),
                    object other => throw new ArgumentException($"Cannot bind a {other.GetType().Name} to parameter {index}.", nameof(values)),
                };
                Check(rc);
            }

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
}
