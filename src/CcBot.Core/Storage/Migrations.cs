namespace CcBot.Core.Storage;

/// <summary>
/// A versioned schema change. Ids sort in the order they must run (<c>0001_core</c>, <c>0100_quiz</c>, ...);
/// each slice contributes its own through <see cref="IMigrationSource"/>. Applied once, inside a transaction.
/// </summary>
public sealed record Migration(string Id, string Sql);

/// <summary>A slice's migrations, registered in DI.</summary>
public interface IMigrationSource
{
    IEnumerable<Migration> Migrations { get; }
}
