using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Sluice.Sqlite.Schema;

/// <summary>Brings a database to the newest schema version, one migration per transaction.</summary>
/// <remarks>The version lives in <c>PRAGMA user_version</c>, which SQLite keeps in the file header and changes transactionally.</remarks>
internal static class SchemaMigrator
{
    /// <summary>Applies every migration newer than the file's version; refuses a file newer than <paramref name="migrations"/> know.</summary>
    public static void Migrate(SqliteConnection connection, string path, IReadOnlyList<Migration> migrations)
    {
        int latest = migrations.Count == 0 ? 0 : migrations[^1].Version;
        int found = ReadVersion(connection, transaction: null);
        if (found > latest)
        {
            throw new UnsupportedSchemaVersionException(path, found, latest);
        }

        foreach (Migration migration in migrations)
        {
            if (migration.Version <= found)
            {
                continue;
            }

            using SqliteTransaction transaction = connection.BeginTransaction();

            // Another process may have migrated between our read and our write lock: BEGIN IMMEDIATE holds the
            // lock now, so re-reading decides for sure.
            int current = ReadVersion(connection, transaction);
            if (current > latest)
            {
                throw new UnsupportedSchemaVersionException(path, current, latest);
            }

            if (current >= migration.Version)
            {
                found = current;
                continue;
            }

            if (current != migration.Version - 1)
            {
                throw new InvalidOperationException(
                    $"The run store database '{path}' is at schema version {current}, but the next migration is {migration.Version}: the migration list has a gap.");
            }

            using (SqliteCommand command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = migration.Sql + "\nPRAGMA user_version = " + migration.Version.ToString(CultureInfo.InvariantCulture) + ";";
                command.ExecuteNonQuery();
            }

            transaction.Commit();
            found = migration.Version;
        }
    }

    /// <summary>Returns the schema version recorded in the file (0 for a new file).</summary>
    public static int ReadVersion(SqliteConnection connection, SqliteTransaction? transaction)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "PRAGMA user_version;";
        return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }
}
