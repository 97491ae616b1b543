namespace CcBot.Testing;

/// <summary>
/// A fresh, empty database of either provider for one test: a SQLite file in a temp folder, or a new database on
/// the test PostgreSQL server. <see cref="Configuration"/> holds the <c>Storage:*</c> settings that select it.
/// </summary>
public sealed class StorageBackend : IAsyncDisposable
{
    private readonly TestPostgresDatabase? _postgres;
    private readonly string? _folder;

    private StorageBackend(string provider, string connectionString, TestPostgresDatabase? postgres, string? folder)
    {
        Provider = provider;
        ConnectionString = connectionString;
        _postgres = postgres;
        _folder = folder;
    }

    public string Provider { get; }

    public string ConnectionString { get; }

    public bool IsPostgres => Provider == "postgres";

    public IReadOnlyDictionary<string, string?> Configuration => new Dictionary<string, string?>
    {
        ["Storage:Provider"] = Provider,
        ["Storage:ConnectionString"] = ConnectionString,
        ["Storage:Synchronous"] = "NORMAL",
    };

    public static async Task<StorageBackend> CreateAsync(string provider)
    {
        switch (provider)
        {
            case "sqlite":
                var folder = Path.Combine(Path.GetTempPath(), "ccbot-store-" + Guid.NewGuid().ToString("N")[..12]);
                Directory.CreateDirectory(folder);
                return new StorageBackend(provider, "Data Source=" + Path.Combine(folder, "ccbot.db"), null, folder);
            case "postgres":
                var db = await PostgresServer.CreateDatabaseAsync("store");
                return new StorageBackend(provider, db.ConnectionString, db, null);
            default:
                throw new ArgumentOutOfRangeException(nameof(provider), provider, "sqlite or postgres");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }

        if (_folder is not null)
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
