using CcBot.Core.HelpDesk;
using CcBot.Core.Privacy;
using CcBot.Core.Storage;
using CcBot.Core.Storage.Postgres;
using CcBot.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CcBot.Host.Tests.Privacy;

/// <summary>
/// Export, erasure and retention of personal data on either provider, over the tables of every slice that keeps something
/// about a person. Two participants of one unit; one of them talks in a group too; the other is never touched.
/// </summary>
public abstract class PersonalDataContractTests(string provider) : InstanceContractTests(provider)
{
    private const string Unit = "Sở Nội vụ";

    protected override void Register(IServiceCollection services, IConfiguration configuration)
    {
        services.AddCcBotHelpDesk();
        services.AddSingleton<IMigrationSource, Core.Reminders.ReminderMigrations>();
        services.AddSingleton<IPostgresMigrationSource, Core.Reminders.PostgresReminderMigrations>();
        services.AddSingleton<IMigrationSource, Core.Quiz.QuizMigrations>();
        services.AddSingleton<IPostgresMigrationSource, Core.Quiz.PostgresQuizMigrations>();
        services.AddSingleton<IMigrationSource, Core.Entries.EntryMigrations>();
        services.AddSingleton<IPostgresMigrationSource, Core.Entries.PostgresEntryMigrations>();
        services.AddSingleton<IMigrationSource, Core.Voting.VotingMigrations>();
        services.AddSingleton<IPostgresMigrationSource, Core.Voting.PostgresVotingMigrations>();
        services.AddSingleton<IMigrationSource, Core.Channels.Telegram.TelegramMigrations>();
        services.AddSingleton<IPostgresMigrationSource, Core.Channels.Telegram.PostgresTelegramMigrations>();
        services.AddCcBotPrivacy();
    }

    /// <summary>Seeds a participant with a profile, a private chat, group messages, an attempt, an entry, a vote, a reminder, a ticket and a broadcast row.</summary>
    private static async Task<long> SeedAsync(IServiceProvider db, string id, string name, string phone)
    {
        var key = "telegram:" + id;
        var userId = Convert.ToInt64(await ExecAsync(db,
            "INSERT INTO users(channel, channel_user_id, display_name, full_name, unit, consent_at, created_at) VALUES ('telegram', @id, @name, @name, @unit, @at, @at) RETURNING id",
            ("id", id), ("name", name), ("unit", Unit), ("at", At(1))));
        await ExecAsync(db, "INSERT INTO conversations(conversation_key, channel, conversation_id, user_id, reference, state, created_at, updated_at) VALUES (@key, 'telegram', @id, @id, @ref, '{}', @at, @at)",
            ("key", key), ("id", id), ("ref", $$"""{"UserId":"{{id}}","UserName":"{{name}}"}"""), ("at", At(1)));
        await Message(db, key, id, true, $"Tôi là {name}, điện thoại {phone}", At(2));
        await Message(db, key, id, false, $"Chào {name}", At(2));
        await Message(db, "telegram:-500", id, true, $"Trong nhóm: {name} hỏi", At(3));
        await ExecAsync(db, """
            INSERT INTO quiz_attempts(id, contest_id, user_id, full_name, unit, questions, question_count, started_at, deadline_at, current_index, current_shown_at, correct, status)
            VALUES (@aid, 'hai-duong-2024', @u, @name, @unit, '[]', 10, 1000, 2000, 10, 1000, 7, 'finished')
            """, ("aid", "a-" + id), ("u", userId), ("name", name), ("unit", Unit));
        var entryId = Convert.ToInt64(await ExecAsync(db, """
            INSERT INTO entries(contest_id, seq, receipt, user_id, full_name, unit, unit_key, title, text, received_at)
            VALUES ('khanh-hoa-2021', @seq, @receipt, @u, @name, @unit, 'so noi vu', 'Sáng kiến một cửa', 'Nội dung sáng kiến', 1000) RETURNING id
            """, ("seq", long.Parse(id, System.Globalization.CultureInfo.InvariantCulture)), ("receipt", "KH21-" + id), ("u", userId), ("name", name), ("unit", Unit)));
        await ExecAsync(db, "INSERT INTO votes(contest_id, entry_id, user_id, voted_at, account_created_at) VALUES ('khanh-hoa-2021', @e, @u, 1000, 1000)", ("e", entryId), ("u", userId));
        await ExecAsync(db, "INSERT INTO reminder_subscriptions(contest_id, conversation_key, created_at) VALUES ('hai-duong-2024', @key, @at)", ("key", key), ("at", At(4)));
        await ExecAsync(db, "INSERT INTO escalations(conversation_key, channel, user_id, reason, text, status, created_at) VALUES (@key, 'telegram', @id, 'human', @text, 'open', @at)",
            ("key", key), ("id", id), ("text", $"{name} cần gọi lại số {phone}"), ("at", At(5)));
        await ExecAsync(db, """
            INSERT INTO outbox(dedupe_key, source, source_id, channel, conversation_key, reference, message, status, not_before, created_at)
            VALUES (@dk, 'broadcast', '1', 'telegram', @key, @ref, '{"Text":"Thông báo"}', 'pending', @at, @at)
            """, ("dk", "b1:" + key), ("key", key), ("ref", $$"""{"UserId":"{{id}}"}"""), ("at", At(6)));
        await db.GetRequiredService<ConsentLog>().RecordAsync(new PrivacySubject("telegram", id), ConsentLog.Given, "2026-12-07", $"Bạn đồng ý để CcBot lưu họ tên {name}...", At(1), default);
        return userId;
    }

    private static Task Message(IServiceProvider db, string key, string user, bool inbound, string text, DateTimeOffset at) => ExecAsync(db, """
        INSERT INTO transcript(conversation_key, inbound, activity_id, channel, user_id, kind, text, payload, created_at, status)
        VALUES (@key, @inbound, @aid, 'telegram', @user, 'Message', @text, '{}', @at, 'handled')
        """, ("key", key), ("inbound", inbound), ("aid", Guid.NewGuid().ToString("N")), ("user", user), ("text", text), ("at", at));

    private static async Task<long> CountAsync(IServiceProvider db, string sql, params (string, object?)[] args) => Convert.ToInt64(await ExecAsync(db, sql, args));

    /// <summary>Rows of any table that still hold a piece of the person (their id, name or phone).</summary>
    private static async Task<long> TracesAsync(IServiceProvider db, string id, string name, string phone)
    {
        var total = 0L;
        foreach (var (table, columns) in new (string, string[])[]
        {
            ("users", ["channel_user_id", "display_name", "full_name"]),
            ("conversations", ["conversation_key", "conversation_id", "user_id", "reference", "state"]),
            ("transcript", ["conversation_key", "user_id", "text", "payload"]),
            ("quiz_attempts", ["full_name"]),
            ("entries", ["full_name"]),
            ("reminder_subscriptions", ["conversation_key"]),
            ("escalations", ["conversation_key", "user_id", "text"]),
            ("outbox", ["conversation_key", "reference", "dedupe_key"]),
            ("consent_records", ["channel_user_id"]),
            ("audit_log", ["target"]),
        })
        {
            foreach (var column in columns)
            {
                total += await CountAsync(db, $"SELECT COUNT(*) FROM {table} WHERE {column} = @id OR {column} LIKE @like OR {column} LIKE @name OR {column} LIKE @phone",
                    ("id", id), ("like", "%:" + id), ("name", "%" + name + "%"), ("phone", "%" + phone + "%"));
            }
        }

        return total;
    }

    [Fact]
    public async Task Export_holds_everything_stored_about_the_person_and_nothing_about_others()
    {
        var db = StartInstance();
        await SeedAsync(db, "111", "Nguyễn Văn An", "0912345678");
        await SeedAsync(db, "222", "Trần Thị Bình", "0987654321");

        var (document, error) = await db.GetRequiredService<StaffPrivacy>().ExportAsync("lan", "telegram:111", default);

        error.Should().BeNull();
        var json = PersonalDataExport.ToText(document!);
        json.Should().Contain("Nguyễn Văn An").And.Contain("0912345678").And.Contain("KH21-111").And.Contain("Trong nhóm: Nguyễn Văn An hỏi")
            .And.NotContain("Trần Thị Bình").And.NotContain("0987654321");
        document!["profile"]!["unit"]!.GetValue<string>().Should().Be(Unit);
        document["messages"]!.AsArray().Should().HaveCount(3);
        document["messages"]![0]!["inbound"]!.GetValue<bool>().Should().BeTrue();
        document["messages"]![0]!["created_at"]!.GetValue<string>().Should().EndWith("+07:00", "times are given in Vietnam time");
        document["quiz_attempts"]!.AsArray().Should().ContainSingle().Which!["correct"]!.GetValue<long>().Should().Be(7);
        document["votes"]!.AsArray().Should().ContainSingle();
        document["reminders"]!.AsArray().Should().ContainSingle();
        document["tickets"]!.AsArray().Should().ContainSingle();
        document["consents"]!.AsArray().Should().ContainSingle().Which!["version"]!.GetValue<string>().Should().Be("2026-12-07");
        (await db.GetRequiredService<IHelpDeskStore>().ReadAuditAsync(10, default)).Should().ContainSingle(a => a.Action == "privacy.export" && a.Staff == "lan" && a.Target == "telegram:111");
        (await db.GetRequiredService<StaffPrivacy>().ExportAsync("lan", "telegram:999", default)).Error.Should().Contain("Nothing is stored about telegram:999");
    }

    [Fact]
    public async Task Erasure_leaves_no_trace_of_the_person_keeps_the_counts_per_unit_and_leaves_others_alone()
    {
        var db = StartInstance();
        var an = await SeedAsync(db, "111", "Nguyễn Văn An", "0912345678");
        await SeedAsync(db, "222", "Trần Thị Bình", "0987654321");
        var privacy = db.GetRequiredService<StaffPrivacy>();
        await privacy.ExportAsync("lan", "telegram:111", default); // an audit line naming the person, erased with the rest
        (await TracesAsync(db, "111", "Nguyễn Văn An", "0912345678")).Should().BeGreaterThan(15, "the seed is found by the trace query");

        var (result, error) = await privacy.EraseAsync("lan", an.ToString(System.Globalization.CultureInfo.InvariantCulture), default);

        error.Should().BeNull();
        result!.Messages.Should().Be(3);
        result.Conversations.Should().Be(1, "the group conversation is not the person's alone");
        (await TracesAsync(db, "111", "Nguyễn Văn An", "0912345678")).Should().Be(0);
        (await TracesAsync(db, "222", "Trần Thị Bình", "0987654321")).Should().BeGreaterThan(15, "the other participant is untouched");
        // Counts per unit, as the reports make them.
        (await CountAsync(db, "SELECT COUNT(DISTINCT user_id) FROM quiz_attempts WHERE unit = @u AND contest_id = 'hai-duong-2024'", ("u", Unit))).Should().Be(2);
        (await CountAsync(db, "SELECT COUNT(*) FROM entries WHERE unit_key = 'so noi vu'")).Should().Be(2);
        (await CountAsync(db, "SELECT COUNT(*) FROM votes WHERE contest_id = 'khanh-hoa-2021'")).Should().Be(2);
        (await CountAsync(db, "SELECT COUNT(*) FROM users WHERE unit = @u", ("u", Unit))).Should().Be(2);
        (await CountAsync(db, "SELECT COUNT(*) FROM quiz_attempts WHERE full_name = @n", ("n", PersonalDataEraser.ErasedName))).Should().Be(1);
        (await CountAsync(db, "SELECT COUNT(*) FROM transcript WHERE conversation_key = 'telegram:-500'")).Should().Be(2, "the group keeps its rows, the erased one blanked");
        (await CountAsync(db, "SELECT COUNT(*) FROM outbox WHERE status = 'cancelled'")).Should().Be(1, "the broadcast is not sent to an erased person");
        (await CountAsync(db, "SELECT COUNT(*) FROM reminder_subscriptions")).Should().Be(1);
        var audit = await db.GetRequiredService<IHelpDeskStore>().ReadAuditAsync(10, default);
        audit.Should().Contain(a => a.Action == "privacy.erase" && a.Staff == "lan" && a.Target == "telegram:" + result.AnonymousId);
        (await db.GetRequiredService<ConsentLog>().ReadAsync(new PrivacySubject("telegram", result.AnonymousId), default)).Select(c => c.Action)
            .Should().Equal(ConsentLog.Given, ConsentLog.Erased);
        (await privacy.ExportAsync("lan", "telegram:111", default)).Error.Should().Contain("Nothing is stored");
    }

    [Fact]
    public async Task Retention_deletes_transcript_rows_older_than_the_cutoff_except_those_still_waiting()
    {
        var db = StartInstance();
        await Message(db, "telegram:1", "1", true, "cũ", At(1));
        await Message(db, "telegram:1", "1", true, "mới", At(30));
        await ExecAsync(db, """
            INSERT INTO transcript(conversation_key, inbound, activity_id, channel, user_id, kind, text, payload, created_at, status)
            VALUES ('telegram:1', @f, 'r', 'telegram', '1', 'Message', 'chưa gửi được', '{}', @at, 'retry')
            """, ("f", false), ("at", At(1)));

        var removed = await db.GetRequiredService<TranscriptRetention>().PurgeAsync(At(10), default);

        removed.Should().Be(1);
        (await CountAsync(db, "SELECT COUNT(*) FROM transcript")).Should().Be(2);
        (await CountAsync(db, "SELECT COUNT(*) FROM transcript WHERE text = 'cũ'")).Should().Be(0);
    }
}

public sealed class PersonalDataOnSqlite() : PersonalDataContractTests("sqlite");

public sealed class PersonalDataOnPostgres() : PersonalDataContractTests("postgres");
