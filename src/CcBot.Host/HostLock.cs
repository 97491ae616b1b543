using CcBot.Core;
using CcBot.Core.Storage;
using Microsoft.Extensions.Options;

namespace CcBot.Host;

/// <summary>
/// A lock file beside the embedded database, held open by the running web host for its lifetime (the operating system
/// releases it if the process dies): <c>db restore</c> refuses to replace a database a bot is running on.
/// </summary>
public static class HostLock
{
    public static string PathFor(string databasePath) => databasePath + ".host-lock";

    /// <summary>The lock, or null when another process holds it.</summary>
    public static IDisposable? TryAcquire(string databasePath)
    {
        try
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(databasePath))!);
            return new FileStream(PathFor(databasePath), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>The database file the configuration names (SQLite), without opening it.</summary>
    public static string DatabasePath(StorageOptions options, string contentRoot) =>
        new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(CoreServices.SqliteConnectionString(options, contentRoot)).DataSource;
}

/// <summary>Holds <see cref="HostLock"/> while the web host runs on SQLite (PostgreSQL has no file to replace).</summary>
internal sealed class HostLockService(IOptions<StorageOptions> storage, IHostEnvironment environment, ILogger<HostLockService> logger) : IHostedService, IDisposable
{
    private IDisposable? _lock;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (!storage.Value.IsPostgres())
        {
            var path = HostLock.DatabasePath(storage.Value, environment.ContentRootPath);
            _lock = HostLock.TryAcquire(path);
            if (_lock is null)
            {
                logger.LogWarning("Another host holds {Lock}: two hosts on one SQLite file is not supported (use PostgreSQL to scale out)", HostLock.PathFor(path));
            }
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _lock?.Dispose();
        _lock = null;
    }
}
