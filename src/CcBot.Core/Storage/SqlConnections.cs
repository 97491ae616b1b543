using System.Data.Common;
using CcBot.Core.Storage.Postgres;
using Dapper;
using Microsoft.Extensions.DependencyInjection;

namespace CcBot.Core.Storage;

/// <summary>
/// Opens a connection to the database the host runs on, for stores written once with Dapper: their SQL is the part SQLite and
/// PostgreSQL share (named <c>@parameters</c>, <c>LIMIT</c>, <c>ON CONFLICT ... DO NOTHING</c>, times as Unix milliseconds).
/// </summary>
public interface ISqlConnections
{
    ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>A time as this database stores it, for comparisons: SQLite ISO 8601 text in UTC (sortable), PostgreSQL timestamptz.</summary>
    object Time(DateTimeOffset value);

    /// <summary>
    /// One write statement (Dapper parameters); the rows it changed. On SQLite it joins the group-commit writer's next
    /// transaction and completes once that has committed with the configured durability (a hot-path write does not take
    /// the write lock on its own); on PostgreSQL it runs on a pooled connection.
    /// </summary>
    Task<int> ExecuteAsync(string sql, object? parameters, CancellationToken cancellationToken);
}

public static class SqlConnections
{
    /// <summary>A time column as read back: SQLite keeps ISO 8601 text in UTC, PostgreSQL timestamptz.</summary>
    public static DateTimeOffset ReadTime(object value) => value switch
    {
        DateTime d => new DateTimeOffset(DateTime.SpecifyKind(d, DateTimeKind.Utc)),
        DateTimeOffset o => o,
        string s => DateTimeOffset.Parse(s, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal),
        _ => throw new InvalidOperationException($"Unexpected time value of type {value.GetType().Name}."),
    };

    /// <summary>Registers <see cref="ISqlConnections"/> for the configured provider (once).</summary>
    public static IServiceCollection AddSqlConnections(this IServiceCollection services)
    {
        if (services.All(d => d.ServiceType != typeof(ISqlConnections)))
        {
            services.AddSingleton<ISqlConnections>(sp => sp.UsesPostgres()
                ? new Postgres(sp.GetRequiredService<PostgresDatabase>())
                : new Sqlite(sp.GetRequiredService<SqliteDatabase>()));
        }

        return services;
    }

    private sealed class Sqlite(SqliteDatabase db) : ISqlConnections
    {
        public ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken) => ValueTask.FromResult<DbConnection>(db.OpenConnection());

        public object Time(DateTimeOffset value) => SqliteConversationStore.Iso(value);

        public Task<int> ExecuteAsync(string sql, object? parameters, CancellationToken cancellationToken) =>
            db.WriteAsync((conn, tx) => conn.Execute(sql, parameters, tx), cancellationToken);
    }

    private sealed class Postgres(PostgresDatabase db) : ISqlConnections
    {
        public async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken) => await db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

        public object Time(DateTimeOffset value) => value.ToUniversalTime();

        public async Task<int> ExecuteAsync(string sql, object? parameters, CancellationToken cancellationToken)
        {
            await using var conn = await db.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            return await conn.ExecuteAsync(new CommandDefinition(sql, parameters, cancellationToken: cancellationToken)).ConfigureAwait(false);
        }
    }
}
