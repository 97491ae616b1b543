using System.Net;
using CcBot.Host.Tests.Console;
using CcBot.Host.Tests.Infrastructure;
using CcBot.Testing;

namespace CcBot.Host.Tests.ScaleOut;

/// <summary>The staff console behind a load balancer: a sign-in cookie from one instance works on the other (the key ring is in the database).</summary>
public sealed class ConsoleAcrossInstancesTests
{
    [Fact]
    public async Task A_staff_member_signed_in_on_one_instance_is_signed_in_on_the_other()
    {
        await using var db = await PostgresServer.CreateDatabaseAsync("console");
        var settings = new Dictionary<string, string?> { ["Storage:Provider"] = "postgres", ["Storage:ConnectionString"] = db.ConnectionString };
        await using var a = await TestHost.StartAsync(settings);
        await using var b = await TestHost.StartAsync(settings);

        using var staff = await ConsoleClient.SignInAsync(a, "lan.nguyen", "helpdesk");
        (await staff.Http.GetAsync("console/")).StatusCode.Should().Be(HttpStatusCode.OK);

        // The same browser (same cookies) now reaches instance B.
        using var onB = new HttpClient(new HttpClientHandler { CookieContainer = staff.Cookies, AllowAutoRedirect = false }) { BaseAddress = b.BaseAddress };
        var page = await onB.GetAsync("console/");
        page.StatusCode.Should().Be(HttpStatusCode.OK, "B reads A's cookie with the shared key ring, instead of redirecting to sign in");
        (await page.Content.ReadAsStringAsync()).Should().Contain("lan.nguyen");

        // The key that protects the cookie is in the shared database (not in a per-machine folder).
        await using (var conn = new Npgsql.NpgsqlConnection(db.ConnectionString))
        {
            await conn.OpenAsync();
            await using var cmd = new Npgsql.NpgsqlCommand("SELECT count(*) FROM dataprotection_keys WHERE xml LIKE '<key %'", conn);
            ((long)(await cmd.ExecuteScalarAsync())!).Should().BeGreaterThan(0);
        }

        // And a cookie-less browser on B is still sent to sign in.
        using var anonymous = ConsoleClient.Anonymous(b);
        (await anonymous.Http.GetAsync("console/")).StatusCode.Should().Be(HttpStatusCode.Redirect);
    }
}
