using CcBot.Core.Storage.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CcBot.Core.Storage;

/// <summary>The two storage providers and the registration of a store with an implementation for each.</summary>
public static class StorageProvider
{
    public const string Sqlite = "sqlite";
    public const string Postgres = "postgres";

    public static bool IsPostgres(this StorageOptions options) =>
        string.Equals(options.Provider, Postgres, StringComparison.OrdinalIgnoreCase);

    public static bool UsesPostgres(this IServiceProvider services) =>
        services.GetRequiredService<IOptions<StorageOptions>>().Value.IsPostgres();

    /// <summary>
    /// Registers <typeparamref name="TService"/> as a singleton built from <typeparamref name="TSqlite"/> or
    /// <typeparamref name="TPostgres"/> according to <c>Storage:Provider</c>, read when first resolved (so test
    /// hosts can override the configuration). The other provider's database is never opened.
    /// </summary>
    public static IServiceCollection AddStore<TService, TSqlite, TPostgres>(this IServiceCollection services)
        where TService : class
        where TSqlite : class, TService
        where TPostgres : class, TService
    {
        services.AddSingleton<TService>(sp => sp.UsesPostgres()
            ? ActivatorUtilities.CreateInstance<TPostgres>(sp)
            : ActivatorUtilities.CreateInstance<TSqlite>(sp));
        return services;
    }

    /// <summary>Where the bot stores its data, for logs and the health page (no credentials).</summary>
    public static string DescribeStorage(this IServiceProvider services) => services.UsesPostgres()
        ? services.GetRequiredService<PostgresDatabase>().Describe
        : "SQLite at " + services.GetRequiredService<SqliteDatabase>().FilePath;
}
