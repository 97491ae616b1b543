using CcBot.Core;
using CcBot.Core.Storage;
using CcBot.Core.Storage.Postgres;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CcBot.Testing;

/// <summary>
/// A store contract run against either provider. Every test gets an empty database; each <see cref="StartInstance"/>
/// builds the services of one more bot instance on it (its own database objects, caches and stores), as several hosts
/// sharing one PostgreSQL database do.
/// </summary>
public abstract class InstanceContractTests(string provider) : IAsyncLifetime
{
    private readonly List<ServiceProvider> _instances = [];

    protected StorageBackend Backend { get; private set; } = null!;

    public async Task InitializeAsync() => Backend = await StorageBackend.CreateAsync(provider);

    public async Task DisposeAsync()
    {
        foreach (var instance in _instances)
        {
            await instance.DisposeAsync();
        }

        await Backend.DisposeAsync();
    }

    /// <summary>The slice's registrations (as the host makes them).</summary>
    protected abstract void Register(IServiceCollection services, IConfiguration configuration);

    /// <summary>Settings added to the storage ones.</summary>
    protected virtual IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>();

    protected IServiceProvider StartInstance()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(Backend.Configuration).AddInMemoryCollection(Settings).Build();
        var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(config);
        services.AddCcBotCore(config, TestRepo.Root);
        Register(services, config);
        var provider = services.BuildServiceProvider();
        _instances.Add(provider);
        return provider;
    }

    /// <summary>
    /// Runs one statement (same SQL text on both providers, <c>@name</c> parameters) and returns its scalar. Times and
    /// flags are stored as each provider stores them: ISO text and 0/1 in SQLite, <c>timestamptz</c> and boolean in PostgreSQL.
    /// </summary>
    protected static async Task<object?> ExecAsync(IServiceProvider instance, string sql, params (string Name, object? Value)[] values)
    {
        if (instance.UsesPostgres())
        {
            await using var conn = await instance.GetRequiredService<PostgresDatabase>().OpenConnectionAsync();
            await using var cmd = new NpgsqlCommand(sql, conn);
            foreach (var (name, value) in values)
            {
                cmd.Parameters.AddWithValue(name, value switch
                {
                    null => DBNull.Value,
                    DateTimeOffset t => t.ToUniversalTime(),
                    _ => value,
                });
            }

            var result = await cmd.ExecuteScalarAsync();
            return result is DBNull ? null : result;
        }

        return await instance.GetRequiredService<SqliteDatabase>().WriteAsync((conn, tx) =>
        {
            using var cmd = conn.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = sql;
            foreach (var (name, value) in values)
            {
                cmd.Parameters.AddWithValue("@" + name, value switch
                {
                    null => DBNull.Value,
                    DateTimeOffset t => t.ToUniversalTime().ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                    bool b => b ? 1 : 0,
                    _ => value,
                });
            }

            var result = cmd.ExecuteScalar();
            return result is DBNull ? null : result;
        });
    }

    /// <summary>A time both providers store exactly (PostgreSQL keeps microseconds, SQLite's text keeps ticks).</summary>
    protected static DateTimeOffset At(int minute, int second = 0) => new(2026, 3, 14, 9, minute, second, 250, TimeSpan.Zero);
}
