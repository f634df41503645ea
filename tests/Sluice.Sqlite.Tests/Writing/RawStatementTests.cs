using Microsoft.Data.Sqlite;
using Sluice.Sqlite.Writing;
using Xunit;

namespace Sluice.Sqlite.Tests.Writing;

/// <summary>Text bound through the writer's own UTF-8 buffer is stored exactly as the provider would store it.</summary>
public sealed class RawStatementTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData("")]
    [InlineData("reused: checkpoint 39692b7e (run 20261127-153925-717b)")]
    [InlineData("Prüfung fehlgeschlagen: ≠ 😀 数据")]
    public void Bind_Text_StoresTheSameTextAsTheProvider(string text)
    {
        using SqliteConnection connection = Open();
        using (var insert = new RawStatement(connection, "INSERT INTO t (v) VALUES (?1)"))
        {
            insert.Bind(1, text);
            insert.Run();
        }

        using SqliteCommand select = connection.CreateCommand();
        select.CommandText = "SELECT typeof(v), v, length(CAST(v AS BLOB)) FROM t";
        using SqliteDataReader reader = select.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal("text", reader.GetString(0));
        Assert.Equal(text, reader.GetString(1));
        Assert.Equal(System.Text.Encoding.UTF8.GetByteCount(text), reader.GetInt64(2));
    }

    [Fact]
    public void Bind_TextLongerThanTheBuffer_ThenShorterText_StoresEachWhole()
    {
        using SqliteConnection connection = Open();
        string longText = string.Concat(Enumerable.Repeat("é-ß-", 2000));
        using (var insert = new RawStatement(connection, "INSERT INTO t (v) VALUES (?1)"))
        {
            insert.Bind(1, "short");
            insert.Run();
            insert.Bind(1, longText);
            insert.Run();
            insert.Execute(["after"]);
            insert.Bind(1, (string?)null);
            insert.Run();
        }

        using SqliteCommand select = connection.CreateCommand();
        select.CommandText = "SELECT v FROM t ORDER BY rowid";
        using SqliteDataReader reader = select.ExecuteReader();
        var values = new List<object>();
        while (reader.Read())
        {
            values.Add(reader.GetValue(0));
        }

        Assert.Equal(["short", longText, "after", DBNull.Value], values);
    }

    [Fact]
    public void Bind_ValuesKeptFromTheLastRow_AreTheValuesOfTheNextRow()
    {
        using SqliteConnection connection = Open();
        string run = "20261127-153925-717b";
        using (var insert = new RawStatement(connection, "INSERT INTO t (v, w, x) VALUES (?1, ?2, ?3)"))
        {
            // Row after row some values repeat (not bound again) and some change, to and from NULL and between types.
            (object? V, object? W, object? X)[] rows =
            [
                (run, 5L, null),
                (run, 6L, "a"),
                (new string(run.AsSpan()), null, "a"),
                (run, 6L, 7L),
                (null, 6L, 7L),
                (run, "6", null),
            ];
            foreach ((object? v, object? w, object? x) in rows)
            {
                insert.Bind(1, v);
                insert.Bind(2, w);
                insert.Bind(3, x);
                insert.Run();
            }
        }

        using SqliteCommand select = connection.CreateCommand();
        select.CommandText = "SELECT quote(v) || ',' || quote(w) || ',' || quote(x) FROM t ORDER BY rowid";
        using SqliteDataReader reader = select.ExecuteReader();
        var values = new List<string>();
        while (reader.Read())
        {
            values.Add(reader.GetString(0));
        }

        string r = $"'{run}'";
        Assert.Equal([$"{r},5,NULL", $"{r},6,'a'", $"{r},NULL,'a'", $"{r},6,7", "NULL,6,7", $"{r},'6',NULL"], values);
    }

    [Fact]
    public void Bind_Time_StoresTheStoredTextForm_RowAfterRow()
    {
        using SqliteConnection connection = Open();
        var first = new DateTimeOffset(2026, 11, 27, 9, 5, 3, TimeSpan.FromHours(2)).AddTicks(1234567);
        DateTimeOffset second = first.AddTicks(1);
        using (var insert = new RawStatement(connection, "INSERT INTO t (v) VALUES (?1)"))
        {
            // The same instant again (not bound again), in another offset, a tick later, NULL, text and a number in
            // the same parameter, then a time once more: each row holds exactly what was bound last.
            object?[] rows = [first, first, first.ToOffset(TimeSpan.Zero), second, null, "text", 42L, second, first];
            foreach (object? value in rows)
            {
                switch (value)
                {
                    case DateTimeOffset at:
                        insert.Bind(1, (DateTimeOffset?)at);
                        break;
                    case null:
                        insert.Bind(1, (DateTimeOffset?)null);
                        break;
                    default:
                        insert.Bind(1, value);
                        break;
                }

                insert.Run();
            }
        }

        using SqliteCommand select = connection.CreateCommand();
        select.CommandText = "SELECT quote(v) FROM t ORDER BY rowid";
        using SqliteDataReader reader = select.ExecuteReader();
        var values = new List<string>();
        while (reader.Read())
        {
            values.Add(reader.GetString(0));
        }

        string a = $"'{StoredValues.Time(first)}'";
        string b = $"'{StoredValues.Time(second)}'";
        Assert.Equal("'2026-11-27T07:05:03.1234567Z'", a);
        Assert.Equal([a, a, a, b, "NULL", "'text'", "42", b, a], values);
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection($"Data Source={_directory.File("raw.db")};Pooling=False");
        connection.Open();
        using SqliteCommand create = connection.CreateCommand();
        create.CommandText = "CREATE TABLE t (v, w, x)";
        create.ExecuteNonQuery();
        return connection;
    }
}
