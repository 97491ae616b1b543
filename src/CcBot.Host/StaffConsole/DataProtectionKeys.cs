using System.Xml.Linq;
using CcBot.Core.Storage;
using CcBot.Core.Storage.Postgres;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CcBot.Host.StaffConsole;

/// <summary>
/// Keeps ASP.NET Core's data-protection key ring (what signs the console's sign-in and antiforgery cookies) in the
/// bot's database, so every instance accepts a cookie any instance issued, and cookies survive restarts.
/// </summary>
public static class DataProtectionKeys
{
    /// <summary>The key ring's table (registered for the web host and the CLI alike, so <c>db migrate</c> and <c>db copy</c> know it).</summary>
    public static IServiceCollection AddKeyRingMigrations(this IServiceCollection services)
    {
        services.AddSingleton<IMigrationSource, DataProtectionMigrations>();
        services.AddSingleton<IPostgresMigrationSource, DataProtectionMigrations>();
        return services;
    }

    public static IServiceCollection AddDatabaseKeyRing(this IServiceCollection services)
    {
        services.AddStore<IXmlRepository, SqliteKeyRepository, PostgresKeyRepository>();
        services.AddDataProtection().SetApplicationName("ccbot");
        services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(sp =>
            new ConfigureOptions<KeyManagementOptions>(o => o.XmlRepository = sp.GetRequiredService<IXmlRepository>()));
        return services;
    }

    /// <summary>The same table on both providers (a key is a small XML document).</summary>
    private sealed class DataProtectionMigrations : IMigrationSource, IPostgresMigrationSource
    {
        IEnumerable<Migration> IMigrationSource.Migrations =>
        [
            new("0050_dataprotection", "CREATE TABLE dataprotection_keys(name TEXT PRIMARY KEY, xml TEXT NOT NULL);"),
        ];

        IEnumerable<Migration> IPostgresMigrationSource.Migrations =>
        [
            new("0050_dataprotection", "CREATE TABLE dataprotection_keys(name text PRIMARY KEY, xml text NOT NULL);"),
        ];
    }

    private sealed class SqliteKeyRepository(SqliteDatabase db) : IXmlRepository
    {
        public IReadOnlyCollection<XElement> GetAllElements()
        {
            using var conn = db.OpenConnection();
            using var cmd = conn.CreateCommand();
            cmd.CommandText = "SELECT xml FROM dataprotection_keys ORDER BY name";
            using var r = cmd.ExecuteReader();
            var list = new List<XElement>();
            while (r.Read())
            {
                list.Add(XElement.Parse(r.GetString(0)));
            }

            return list;
        }

        public void StoreElement(XElement element, string friendlyName) =>
            db.WriteAsync((conn, tx) =>
            {
                using var cmd = conn.CreateCommand();
                cmd.Transaction = tx;
                cmd.CommandText = "INSERT OR IGNORE INTO dataprotection_keys(name, xml) VALUES ($n, $x)";
                cmd.Parameters.AddWithValue("$n", friendlyName);
                cmd.Parameters.AddWithValue("$x", element.ToString(SaveOptions.DisableFormatting));
                cmd.ExecuteNonQuery();
            }).GetAwaiter().GetResult();
    }

    private sealed class PostgresKeyRepository(PostgresDatabase db) : IXmlRepository
    {
        // IXmlRepository is synchronous; the key ring is read at start and about once a day, so blocking here is fine.
        public IReadOnlyCollection<XElement> GetAllElements()
        {
            using var conn = db.DataSource.OpenConnection();
            using var cmd = new NpgsqlCommand("SELECT xml FROM dataprotection_keys ORDER BY name", conn);
            using var r = cmd.ExecuteReader();
            var list = new List<XElement>();
            while (r.Read())
            {
                list.Add(XElement.Parse(r.GetString(0)));
            }

            return list;
        }

        public void StoreElement(XElement element, string friendlyName)
        {
            using var conn = db.DataSource.OpenConnection();
            using var cmd = new NpgsqlCommand("INSERT INTO dataprotection_keys(name, xml) VALUES (@n, @x) ON CONFLICT (name) DO NOTHING", conn);
            cmd.Parameters.AddWithValue("n", friendlyName);
            cmd.Parameters.AddWithValue("x", element.ToString(SaveOptions.DisableFormatting));
            cmd.ExecuteNonQuery();
        }
    }
}
