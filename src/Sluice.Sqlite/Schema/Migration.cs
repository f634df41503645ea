namespace Sluice.Sqlite.Schema;

/// <summary>One step of the schema's history: the SQL that takes a database from <c>Version - 1</c> to <see cref="Version"/>.</summary>
/// <param name="Version">The schema version after this migration.</param>
/// <param name="Description">What the migration changes, for people reading the list.</param>
/// <param name="Sql">The statements to run, in one transaction.</param>
internal sealed record Migration(int Version, string Description, string Sql);
