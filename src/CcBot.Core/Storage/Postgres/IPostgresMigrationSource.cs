namespace CcBot.Core.Storage.Postgres;

/// <summary>
/// A slice's PostgreSQL migrations. Ids are the same as the slice's SQLite migrations (<see cref="IMigrationSource"/>),
/// tables and columns have the same names (so <c>ccbot db copy</c> can move rows), and types are PostgreSQL's own
/// (<c>timestamptz</c>, <c>boolean</c>, <c>bigint</c> identities, <c>bytea</c>).
/// </summary>
public interface IPostgresMigrationSource
{
    IEnumerable<Migration> Migrations { get; }
}
