using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Sluice.Sqlite.Tests;

/// <summary>Reads and changes a database file directly, beside the store, to check what it holds on disk.</summary>
internal static class RawDatabase
{
    public static SqliteConnection Open(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    public static object? Scalar(string path, string sql)
    {
        using SqliteConnection connection = Open(path);
        return Scalar(connection, sql);
    }

    public static object? Scalar(SqliteConnection connection, string sql)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    public static int UserVersion(string path) => Convert.ToInt32(Scalar(path, "PRAGMA user_version;"), CultureInfo.InvariantCulture);
}
