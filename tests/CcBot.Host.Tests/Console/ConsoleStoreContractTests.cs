using CcBot.Core;
using CcBot.Core.HelpDesk;
using CcBot.Core.Storage;
using CcBot.Core.Storage.Postgres;
using CcBot.Host.StaffConsole;
using CcBot.Host.Tests.Infrastructure;
using CcBot.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace CcBot.Host.Tests.Console;

/// <summary>
/// The console's stores on either provider: every test gets an empty database; each <c>StartInstance</c> builds the
/// services of one more host instance on it, as several hosts sharing one PostgreSQL database do.
/// </summary>
public abstract class ConsoleStoreContractTests(string provider) : InstanceContractTests(provider)
{
    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Console:LockoutFailures"] = "3" };

    protected override void Register(IServiceCollection services, IConfiguration configuration)
    {
        services.AddCcBotHelpDesk();
        services.AddSingleton<IMigrationSource, Core.Reminders.ReminderMigrations>();
        services.AddStaffAccounts(configuration);
        services.AddStore<IConsoleReports, SqliteConsoleReports, PostgresConsoleReports>(); // as ConsoleSetup registers it
    }

    protected static DateTimeOffset Day(int day, int hour = 9, int minute = 0) => new(2026, 3, day, hour, minute, 0, 125, TimeSpan.Zero);
}

public abstract class StaffAccountContractTests(string provider) : ConsoleStoreContractTests(provider)
{
    private const string Password = "correct horse battery";

    private static StaffAccounts Accounts(IServiceProvider instance) => instance.GetRequiredService<StaffAccounts>();

    /// <summary>PostgreSQL keeps microseconds, the clock has ticks.</summary>
    private static FluentAssertions.Equivalency.EquivalencyAssertionOptions<StaffAccount> StoredTime(FluentAssertions.Equivalency.EquivalencyAssertionOptions<StaffAccount> o) =>
        o.Using<DateTimeOffset>(c => c.Subject.Should().BeCloseTo(c.Expectation, TimeSpan.FromMilliseconds(1))).WhenTypeIs<DateTimeOffset>();

    [Fact]
    public async Task Accounts_are_listed_by_name_and_names_are_unique_whatever_their_case()
    {
        var accounts = Accounts(StartInstance());
        var lan = await accounts.AddAsync(" lan ", StaffRoles.HelpDesk, Password, CancellationToken.None);
        await accounts.AddAsync("Binh", StaffRoles.Admin, Password, CancellationToken.None);
        await accounts.AddAsync("an.nguyen", StaffRoles.Organizer, Password, CancellationToken.None);
        lan.UserName.Should().Be("lan");

        var dup = () => accounts.AddAsync("LAN", StaffRoles.Admin, Password, CancellationToken.None);
        (await dup.Should().ThrowAsync<ArgumentException>()).WithMessage("*already exists*");
        await FluentActions.Awaiting(() => accounts.AddAsync("x", StaffRoles.Admin, Password, CancellationToken.None)).Should().ThrowAsync<ArgumentException>();
        await FluentActions.Awaiting(() => accounts.AddAsync("nam", "root", Password, CancellationToken.None)).Should().ThrowAsync<ArgumentException>();
        await FluentActions.Awaiting(() => accounts.AddAsync("nam", StaffRoles.Admin, "short", CancellationToken.None)).Should().ThrowAsync<ArgumentException>();

        var list = await accounts.ListAsync(CancellationToken.None);
        list.Select(a => (a.UserName, a.Role)).Should().Equal(("an.nguyen", "organizer"), ("Binh", "admin"), ("lan", "helpdesk"));
        list.Should().OnlyContain(a => !a.Disabled && a.LockedUntil == null);
        list.Single(a => a.UserName == "lan").Should().BeEquivalentTo(lan, StoredTime);
    }

    [Fact]
    public async Task Sign_in_checks_the_password_and_ignores_the_name_case()
    {
        var accounts = Accounts(StartInstance());
        var added = await accounts.AddAsync("lan", StaffRoles.HelpDesk, Password, CancellationToken.None);
        var ok = await accounts.SignInAsync("LAN", Password, CancellationToken.None);
        ok.Status.Should().Be(SignInStatus.Success);
        ok.Account.Should().BeEquivalentTo(added, StoredTime);
        (await accounts.SignInAsync("lan", "wrong password!", CancellationToken.None)).Status.Should().Be(SignInStatus.Invalid);
        (await accounts.SignInAsync("nobody", Password, CancellationToken.None)).Should().Be(new SignInResult(SignInStatus.Invalid, null));
        (await accounts.UnlockAsync("nobody", CancellationToken.None)).Should().BeFalse();
    }

    [Fact]
    public async Task Failed_sign_ins_on_several_instances_lock_the_account_everywhere_until_an_admin_unlocks_it()
    {
        var first = Accounts(StartInstance());
        var second = Accounts(StartInstance());
        await first.AddAsync("lan", StaffRoles.HelpDesk, Password, CancellationToken.None);

        (await first.SignInAsync("lan", "wrong password 1", CancellationToken.None)).Status.Should().Be(SignInStatus.Invalid);
        (await second.SignInAsync("lan", "wrong password 2", CancellationToken.None)).Status.Should().Be(SignInStatus.Invalid);
        (await first.SignInAsync("lan", "wrong password 3", CancellationToken.None)).Status.Should().Be(SignInStatus.LockedOut);
        (await second.SignInAsync("lan", Password, CancellationToken.None)).Status.Should().Be(SignInStatus.LockedOut, "locked even for the right password");
        (await first.ListAsync(CancellationToken.None)).Single().LockedUntil.Should().NotBeNull();

        (await second.UnlockAsync("LAN", CancellationToken.None)).Should().BeTrue();
        (await first.SignInAsync("lan", Password, CancellationToken.None)).Status.Should().Be(SignInStatus.Success);
        (await first.ListAsync(CancellationToken.None)).Single().LockedUntil.Should().BeNull();
    }

    [Fact]
    public async Task A_success_clears_earlier_failures()
    {
        var accounts = Accounts(StartInstance());
        await accounts.AddAsync("lan", StaffRoles.HelpDesk, Password, CancellationToken.None);
        await accounts.SignInAsync("lan", "wrong password 1", CancellationToken.None);
        await accounts.SignInAsync("lan", "wrong password 2", CancellationToken.None);
        (await accounts.SignInAsync("lan", Password, CancellationToken.None)).Status.Should().Be(SignInStatus.Success);
        (await accounts.SignInAsync("lan", "wrong password 3", CancellationToken.None)).Status.Should().Be(SignInStatus.Invalid, "the count started again");
    }
}

public sealed class StaffAccountsOnSqlite() : StaffAccountContractTests("sqlite");

public sealed class StaffAccountsOnPostgres() : StaffAccountContractTests("postgres");

public abstract class ConsoleReportContractTests(string provider) : ConsoleStoreContractTests(provider)
{
    private static IConsoleReports Reports(IServiceProvider instance) => instance.GetRequiredService<IConsoleReports>();

    private static async Task MessageAsync(IServiceProvider instance, string conversationKey, bool inbound, string? text, DateTimeOffset at, string? userId = null)
    {
        var channel = conversationKey[..conversationKey.IndexOf(':', StringComparison.Ordinal)];
        await ExecAsync(instance, """
            INSERT INTO transcript(conversation_key, inbound, activity_id, channel, user_id, kind, text, created_at, status)
            VALUES (@k, @inbound, @activity, @channel, @user, 'message', @text, @at, 'sent')
            """,
            ("k", conversationKey), ("inbound", inbound), ("activity", Guid.NewGuid().ToString("N")), ("channel", channel), ("user", userId), ("text", text), ("at", at));
    }

    private static async Task ConversationAsync(IServiceProvider instance, string channel, string userId, string? unit, bool unreachable = false, bool userUnreachable = false)
    {
        await ExecAsync(instance, """
            INSERT INTO conversations(conversation_key, channel, conversation_id, user_id, reference, created_at, updated_at, unreachable_at)
            VALUES (@k, @channel, @id, @user, '{}', @at, @at, @gone)
            """,
            ("k", channel + ":" + userId), ("channel", channel), ("id", userId), ("user", userId), ("at", Day(1)), ("gone", unreachable ? Day(2) : null));
        await ExecAsync(instance, """
            INSERT INTO users(channel, channel_user_id, unit, created_at, unreachable_at) VALUES (@channel, @user, @unit, @at, @gone)
            """,
            ("channel", channel), ("user", userId), ("unit", unit), ("at", Day(1)), ("gone", userUnreachable ? Day(2) : null));
    }

    [Fact]
    public async Task The_audience_of_a_broadcast_is_counted_as_the_broadcast_store_selects_it()
    {
        var instance = StartInstance();
        if (instance.UsesPostgres())
        {
            // The reminders slice owns this table; created here when that slice's PostgreSQL migrations are not registered.
            await ExecAsync(instance, """
                CREATE TABLE IF NOT EXISTS reminder_subscriptions(contest_id text NOT NULL, conversation_key text NOT NULL,
                    created_at timestamptz NOT NULL, PRIMARY KEY(contest_id, conversation_key))
                """);
        }

        await ConversationAsync(instance, "telegram", "1", "Sở Nội vụ");
        await ConversationAsync(instance, "telegram", "2", " sở nội vụ ");
        await ConversationAsync(instance, "msteams", "3", "UBND huyện");
        await ConversationAsync(instance, "directline", "4", "Sở Nội vụ", unreachable: true);
        await ConversationAsync(instance, "directline", "5", "Sở Nội vụ", userUnreachable: true);
        await ExecAsync(instance, "INSERT INTO reminder_subscriptions(contest_id, conversation_key, created_at) VALUES ('hai-duong-2024', @k, @at)", ("k", "telegram:1"), ("at", Day(1)));
        await ExecAsync(instance, "INSERT INTO reminder_subscriptions(contest_id, conversation_key, created_at) VALUES ('hai-duong-2024', @k, @at)", ("k", "directline:4"), ("at", Day(1)));
        var reports = Reports(instance);

        (await reports.CountAudienceAsync(Core.Broadcasts.BroadcastAudience.Everyone, null, CancellationToken.None)).Should().Be(4);
        (await reports.CountAudienceAsync(Core.Broadcasts.BroadcastAudience.Channel, "telegram", CancellationToken.None)).Should().Be(2);
        (await reports.CountAudienceAsync(Core.Broadcasts.BroadcastAudience.Unit, "SỞ NỘI VỤ", CancellationToken.None)).Should().Be(2);
        (await reports.CountAudienceAsync(Core.Broadcasts.BroadcastAudience.Unit, "Bộ Tư pháp", CancellationToken.None)).Should().Be(0);
        (await reports.CountAudienceAsync(Core.Broadcasts.BroadcastAudience.Contest, "hai-duong-2024", CancellationToken.None)).Should().Be(1);
    }

    [Fact]
    public async Task Volume_is_counted_per_utc_day_newest_first()
    {
        var instance = StartInstance();
        await MessageAsync(instance, "telegram:1", true, "xin chào", Day(10, 23, 59));
        await MessageAsync(instance, "telegram:1", false, "Chào bạn", Day(10, 23, 59));
        await MessageAsync(instance, "telegram:2", true, "lịch thi", Day(10, 8));
        await MessageAsync(instance, "telegram:1", true, "cảm ơn", Day(11, 0, 1));
        await MessageAsync(instance, "telegram:9", true, "cũ quá", Day(2));

        (await Reports(instance).VolumePerDayAsync(Day(12), 7, CancellationToken.None)).Should().Equal(
            new DailyVolume("2026-03-11", 1, 0, 1),
            new DailyVolume("2026-03-10", 2, 1, 2));
    }

    [Fact]
    public async Task The_most_frequent_unanswered_questions_come_first()
    {
        var instance = StartInstance();
        foreach (var (text, reason, day) in new[]
        {
            ("Mat dien thi sao", "low_confidence", 3), ("  mat dien thi sao ", "low_confidence", 5), ("con meo", "low_confidence", 4),
            ("gặp người thật", "human", 6),
        })
        {
            await ExecAsync(instance, """
                INSERT INTO escalations(conversation_key, channel, user_id, reason, text, status, created_at)
                VALUES ('telegram:1', 'telegram', '1', @reason, @text, 'open', @at)
                """, ("reason", reason), ("text", text), ("at", Day(day)));
        }

        (await Reports(instance).TopUnansweredAsync(10, CancellationToken.None)).Should().Equal(
            new UnansweredQuestion("  mat dien thi sao ", 2, Day(5)),
            new UnansweredQuestion("con meo", 1, Day(4)));
        (await Reports(instance).TopUnansweredAsync(1, CancellationToken.None)).Should().ContainSingle();
    }

    [Fact]
    public async Task Transcripts_are_searched_by_user_text_and_date()
    {
        var instance = StartInstance();
        await ConversationAsync(instance, "telegram", "77", null);
        await MessageAsync(instance, "telegram:77", true, "Tôi muốn hỏi LỊCH THI", Day(10), "77");
        await MessageAsync(instance, "telegram:77", false, "Lịch thi: ngày 20/3", Day(10, 9, 1));
        await MessageAsync(instance, "telegram:88", true, "lich thi o dau", Day(12), "88");
        await MessageAsync(instance, "telegram:88", true, null, Day(12, 10), "88");
        var reports = Reports(instance);

        var byUser = await reports.SearchTranscriptAsync("77", null, null, null, 50, CancellationToken.None);
        byUser.Select(h => (h.ConversationKey, h.Inbound, h.Text)).Should().Equal(("telegram:77", false, "Lịch thi: ngày 20/3"), ("telegram:77", true, "Tôi muốn hỏi LỊCH THI"));
        byUser[0].At.Should().Be(Day(10, 9, 1));
        byUser[0].Seq.Should().BeGreaterThan(byUser[1].Seq);

        (await reports.SearchTranscriptAsync(null, "lich THI", null, null, 50, CancellationToken.None)).Select(h => h.Text).Should().Equal("lich thi o dau");
        (await reports.SearchTranscriptAsync(null, null, new DateOnly(2026, 3, 11), new DateOnly(2026, 3, 12), 50, CancellationToken.None)).Select(h => h.Text).Should().Equal("lich thi o dau");
        (await reports.SearchTranscriptAsync(null, null, null, new DateOnly(2026, 3, 10), 50, CancellationToken.None)).Should().HaveCount(2);
        (await reports.SearchTranscriptAsync(null, null, null, null, 1, CancellationToken.None)).Should().ContainSingle();
    }
}

public sealed class ConsoleReportsOnSqlite() : ConsoleReportContractTests("sqlite");

public sealed class ConsoleReportsOnPostgres() : ConsoleReportContractTests("postgres");
