using CcBot.Core.Contests;

namespace CcBot.Core.Tests.Contests;

public class ContestValidatorTests
{
    private static string Real(string id) => File.ReadAllText(Path.Combine(Repo.ContestsDir, id + ".yaml"));

    [Fact]
    public void All_five_real_files_are_valid()
    {
        var report = ContestValidator.ValidateFolder(Repo.ContestsDir);

        report.Issues.Should().BeEmpty();
        report.Contests.Select(c => c.Id).Should().BeEquivalentTo(
            ["ha-noi-2019", "hai-duong-2024", "khanh-hoa-2021", "hai-phong-2024", "bac-giang-2020"]);
    }

    [Fact]
    public void Validate_command_returns_zero_on_the_real_folder()
    {
        var output = new StringWriter();

        ContestCommands.Validate(Repo.ContestsDir, output).Should().Be(0);
        output.ToString().Should().Contain("OK: 5 contest file(s) valid");
    }

    [Fact]
    public void Closes_before_opens_is_reported_with_file_and_field()
    {
        var yaml = Real("hai-duong-2024").Replace("at: \"2024-12-13T16:30\"", "at: \"2024-11-01T16:30\"");

        var issues = ContestValidator.ValidateContent("hai-duong-2024.yaml", yaml);

        issues.Should().ContainSingle();
        issues[0].ToString().Should().StartWith("hai-duong-2024.yaml:61: milestones[1].at: closes (2024-11-01 16:30) is before opens (2024-11-18 07:30)");
    }

    [Fact]
    public void Unknown_source_id_is_reported_with_path_and_line()
    {
        var yaml = Real("khanh-hoa-2021").Replace("  - kind: usb\n    value: Ban Thư ký cuộc thi (thông qua Phòng Cải cách hành chính thuộc Sở Nội vụ)\n    note: Ghi video clip vào đĩa USB và gửi cho Ban Thư ký cuộc thi.\n    source: notice",
            "  - kind: usb\n    value: Ban Thư ký cuộc thi (thông qua Phòng Cải cách hành chính thuộc Sở Nội vụ)\n    note: Ghi video clip vào đĩa USB và gửi cho Ban Thư ký cuộc thi.\n    source: kh-9999");
        yaml.Should().Contain("kh-9999");

        var issues = ContestValidator.ValidateContent("khanh-hoa-2021.yaml", yaml);

        issues.Should().ContainSingle();
        issues[0].Path.Should().Be("submission_channels[4].source");
        issues[0].ToString().Should().Be("khanh-hoa-2021.yaml:60: submission_channels[4].source: unknown source document 'kh-9999' (not in source_documents)");
    }

    [Theory]
    [InlineData("2024-11-18T07:30+08:00", "offset +08:00")]
    [InlineData("2024-11-18T07:30Z", "offset Z")]
    [InlineData("2024-11-18T00:30+00:00", "offset +00:00")]
    [InlineData("18/11/2024 7h30", "not a local date-time")]
    [InlineData("2024-02-30T07:30", "not a valid date")]
    public void Bad_time_values_are_rejected(string value, string expected)
    {
        var yaml = Real("hai-duong-2024").Replace("at: \"2024-11-18T07:30\"", $"at: \"{value}\"");

        var issues = ContestValidator.ValidateContent("hai-duong-2024.yaml", yaml);

        issues.Should().Contain(i => i.Path == "milestones[0].at" && i.Message.Contains(expected));
    }

    [Fact]
    public void Explicit_vietnam_offset_is_accepted()
    {
        var yaml = Real("hai-duong-2024").Replace("at: \"2024-11-18T07:30\"", "at: \"2024-11-18T07:30+07:00\"");

        ContestValidator.ValidateContent("hai-duong-2024.yaml", yaml).Should().BeEmpty();
    }

    [Fact]
    public void Unknown_key_is_an_error()
    {
        var yaml = Real("hai-phong-2024").Replace("kind: online_contest", "kind: online_contest\nprize_pool: 100 triệu");

        var issues = ContestValidator.ValidateContent("hai-phong-2024.yaml", yaml);

        issues.Should().ContainSingle(i => i.Path == "prize_pool" && i.Message.Contains("unknown key"));
        issues[0].Line.Should().NotBeNull();
    }

    [Fact]
    public void Unknown_enum_value_and_missing_required_field_are_errors()
    {
        var yaml = Real("hai-phong-2024").Replace("kind: online_contest", "kind: karaoke").Replace("short_name: Hội thi trực tuyến CCHC Hải Phòng 2024\n", "");

        var issues = ContestValidator.ValidateContent("hai-phong-2024.yaml", yaml);

        issues.Should().Contain(i => i.Path == "kind" && i.Message.Contains("online_quiz | initiative_writing | video_clip | online_contest"));
        issues.Should().Contain(i => i.Path == "short_name" && i.Message.Contains("required"));
    }

    [Fact]
    public void Date_only_milestone_needs_explicit_end_of_day()
    {
        var yaml = Real("khanh-hoa-2021").Replace("    end_of_day: true\n", "");

        var issues = ContestValidator.ValidateContent("khanh-hoa-2021.yaml", yaml);

        issues.Should().ContainSingle(i => i.Path == "milestones[0].end_of_day");
    }

    [Theory]
    [InlineData("phones: [\"0989.568.808\"]", "phones: [\"12345\"]", "contacts[0].phones[0]")]
    [InlineData("phones: [\"0989.568.808\"]", "phones: [\"0989.568.808\"]\n    email: not-an-email", "contacts[0].email")]
    public void Contact_formats_are_checked(string from, string to, string path)
    {
        var yaml = Real("hai-duong-2024").Replace(from, to);

        ContestValidator.ValidateContent("hai-duong-2024.yaml", yaml).Should().ContainSingle(i => i.Path == path);
    }

    [Fact]
    public void Bad_url_is_an_error()
    {
        var yaml = Real("hai-phong-2024").Replace("url: https://s.net.vn/nc52", "url: s.net.vn/nc52");

        ContestValidator.ValidateContent("hai-phong-2024.yaml", yaml).Should().ContainSingle(i => i.Path == "links[1].url");
    }

    [Fact]
    public void Id_must_match_file_name()
    {
        ContestValidator.ValidateContent("other.yaml", Real("hai-phong-2024")).Should().ContainSingle(i => i.Path == "id");
    }

    [Fact]
    public void Broken_copy_in_a_folder_fails_the_command_and_names_the_file()
    {
        using var tmp = Repo.Temp();
        foreach (var f in Directory.GetFiles(Repo.ContestsDir, "*.yaml"))
        {
            File.Copy(f, tmp.File(Path.GetFileName(f)));
        }

        File.WriteAllText(tmp.File("bac-giang-2020.yaml"), Real("bac-giang-2020").Replace("source: kh-1520", "source: nowhere"));
        File.WriteAllText(tmp.File("new-2025.draft.yaml"), "id: new-2025\nstatus: draft\n");
        var output = new StringWriter();

        ContestCommands.Validate(tmp.Path, output).Should().Be(1);
        output.ToString().Should().Contain("bac-giang-2020.yaml:").And.Contain("organizer.source").And.Contain("skipped draft (never loaded): new-2025.draft.yaml");
        var act = () => ContestCatalog.Load(tmp.Path);
        act.Should().Throw<ContestDataException>().Which.Issues.Should().ContainSingle();
    }

    [Fact]
    public void Catalog_skips_drafts_and_reports_them()
    {
        using var tmp = Repo.Temp();
        File.Copy(Path.Combine(Repo.ContestsDir, "hai-phong-2024.yaml"), tmp.File("hai-phong-2024.yaml"));
        File.WriteAllText(tmp.File("x-2025.draft.yaml"), "id: broken: [");

        var catalog = ContestCatalog.Load(tmp.Path);

        catalog.Contests.Should().ContainSingle(c => c.Id == "hai-phong-2024");
        catalog.SkippedDrafts.Should().Equal("x-2025.draft.yaml");
    }

    [Fact]
    public void Notices_without_number_keep_the_symbol_and_partial_date()
    {
        var hd = Repo.Contest("hai-duong-2024").PrimaryDocument;
        hd.Number.Should().BeNull();
        hd.Symbol.Should().Be("/SVHTTDL-VP");
        hd.Date.Should().Be(new PartialDate(2024));

        var kh = Repo.Contest("khanh-hoa-2021").PrimaryDocument;
        kh.Date.Should().Be(new PartialDate(2021, 6));
    }
}
