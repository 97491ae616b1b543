using System.Net;
using System.Net.Http.Headers;
using CcBot.Host.StaffConsole;
using CcBot.Host.Tests.Infrastructure;

namespace CcBot.Host.Tests.Console;

/// <summary>Contest pages on a copy of the content folder: list, edit with validation, notice ingested into a draft reviewed before it goes live.</summary>
public sealed class ContestPagesTests : IAsyncLifetime
{
    private TestHost _host = null!;
    private string _content = null!;

    private string Contests => Path.Combine(_content, "data", "contests");

    public async Task InitializeAsync()
    {
        _content = TestHost.NewDataFolder();
        Copy(Path.Combine(RepoPaths.Root, "dialogs"), Path.Combine(_content, "dialogs"));
        Copy(Path.Combine(RepoPaths.Root, "data"), Path.Combine(_content, "data"));
        _host = await TestHost.StartAsync(new Dictionary<string, string?> { ["Content:Root"] = _content });
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_broken_edit_is_refused_with_the_issues_and_the_file_is_unchanged()
    {
        using var organizer = await ConsoleClient.SignInAsync(_host, "contest-bto", StaffRoles.Organizer);
        (await organizer.Http.GetStringAsync("console/organizer/contests")).Should().Contain("hai-duong-2024.yaml").And.Contain("Đang áp dụng");
        var path = Path.Combine(Contests, "hai-duong-2024.yaml");
        var before = await File.ReadAllTextAsync(path);
        var page = await organizer.Http.GetStringAsync("console/organizer/contest?file=hai-duong-2024.yaml");
        page.Should().Contain("id=\"Yaml\"");

        var broken = await organizer.PostFormAsync("console/organizer/contest?file=hai-duong-2024.yaml", "Save", new() { ["Yaml"] = before.Replace("id: hai-duong-2024", "id: other-id", StringComparison.Ordinal) + "\nunknown_key: 1\n" });
        broken.StatusCode.Should().Be(HttpStatusCode.OK);
        (await broken.Content.ReadAsStringAsync()).Should().Contain("Chưa lưu").And.Contain("id=\"issues\"");
        (await File.ReadAllTextAsync(path)).Should().Be(before);

        var same = await organizer.PostFormAsync("console/organizer/contest?file=hai-duong-2024.yaml", "Save", new() { ["Yaml"] = before });
        (await same.Content.ReadAsStringAsync()).Should().Contain("Đã lưu.");
        (await organizer.Http.GetAsync("console/organizer/contest?file=..%2F..%2Fappsettings.json")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_notice_becomes_a_draft_that_is_reviewed_before_it_goes_live()
    {
        using var organizer = await ConsoleClient.SignInAsync(_host, "ingest-bto", StaffRoles.Organizer);
        var seed = Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "tests", "CcBot.Core.Tests", "Contests", "Seeds")).Where(f => f.EndsWith(".txt", StringComparison.Ordinal)).Order(StringComparer.Ordinal).First();
        var token = await organizer.TokenAsync("console/organizer/contests");
        using var form = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent("ha-noi-moi"), "NewId" },
        };
        var file = new ByteArrayContent(await File.ReadAllBytesAsync(seed));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        form.Add(file, "Notice", "notice" + Path.GetExtension(seed));
        var response = await organizer.Http.PostAsync("console/organizer/contests?handler=Ingest", form);
        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        response.Headers.Location!.ToString().Should().Contain("ha-noi-moi.draft.yaml");
        File.Exists(Path.Combine(Contests, "ha-noi-moi.draft.yaml")).Should().BeTrue();
        File.Exists(Path.Combine(Contests, "ha-noi-moi.yaml")).Should().BeFalse("a draft is not live before review");

        var review = await organizer.Http.GetStringAsync("console/organizer/contest?file=ha-noi-moi.draft.yaml");
        review.Should().Contain("id=\"publish\"");
        var yaml = await File.ReadAllTextAsync(Path.Combine(Contests, "ha-noi-moi.draft.yaml"));
        var publish = await organizer.PostFormAsync("console/organizer/contest?file=ha-noi-moi.draft.yaml", "Publish", new() { ["Yaml"] = yaml });
        if (review.Contains("id=\"issues\"", StringComparison.Ordinal))
        {
            (await publish.Content.ReadAsStringAsync()).Should().Contain("Chưa áp dụng");
            File.Exists(Path.Combine(Contests, "ha-noi-moi.yaml")).Should().BeFalse();
        }
        else
        {
            publish.StatusCode.Should().Be(HttpStatusCode.Redirect);
            File.Exists(Path.Combine(Contests, "ha-noi-moi.yaml")).Should().BeTrue();
        }
    }

    private static void Copy(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var dir in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        }

        foreach (var f in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            File.Copy(f, Path.Combine(to, Path.GetRelativePath(from, f)));
        }
    }
}
