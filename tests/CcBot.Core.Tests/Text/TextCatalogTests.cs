using CcBot.Core.Text;

namespace CcBot.Core.Tests.Text;

public sealed class TextCatalogTests
{
    [Fact]
    public void Placeholders_are_filled_and_unknown_ones_stay_visible()
    {
        var catalog = YamlTextCatalog.Parse("a.yaml", "texts:\n  hi: \"Chào {name}, còn {n} ngày {missing}\"\n");
        catalog.Get("hi", ("name", "Lan"), ("n", 3)).Should().Be("Chào Lan, còn 3 ngày {missing}");
    }

    [Fact]
    public void Malformed_yaml_names_file_and_line()
    {
        var act = () => YamlTextCatalog.Parse("broken.yaml", "texts:\n  ok: tốt\n  bad: [unclosed\n  more: x\n");
        act.Should().Throw<DialogFileException>().Which.Message.Should().StartWith("broken.yaml:").And.Contain("invalid YAML");
    }

    [Fact]
    public void A_key_defined_twice_across_files_names_both_places()
    {
        var folder = Directory.CreateTempSubdirectory("ccbot-dialogs").FullName;
        File.WriteAllText(Path.Combine(folder, "a.yaml"), "texts:\n  same: một\n");
        File.WriteAllText(Path.Combine(folder, "b.yaml"), "texts:\n  other: hai\n  same: ba\n");

        var act = () => YamlTextCatalog.LoadFolder(folder);

        act.Should().Throw<DialogFileException>().WithMessage("b.yaml:3: text 'same' is already defined in a.yaml:2");
    }

    [Theory]
    [InlineData("menus:\n  main:\n    buttons:\n      - title: A\n        action: a\n", "menu 'main' has no text")]
    [InlineData("menus:\n  main:\n    text: Chọn\n    buttons:\n      - title: A\n", "exactly one of 'action' or 'url'")]
    [InlineData("texts:\n  empty: \"\"\n", "text 'empty' is empty")]
    [InlineData("textz:\n  a: b\n", "unknown section 'textz'")]
    public void Invalid_declarations_fail_with_a_reason(string yaml, string reason)
    {
        var act = () => YamlTextCatalog.Parse("x.yaml", yaml);
        act.Should().Throw<DialogFileException>().Which.Message.Should().Contain(reason).And.StartWith("x.yaml:");
    }

    [Fact]
    public void The_repository_dialogs_load_and_define_the_main_menu()
    {
        var catalog = YamlTextCatalog.LoadFolder(Path.Combine(RepoRoot(), "dialogs"));
        catalog.GetMenu("main").Buttons.Select(b => b.Title).Should().Equal(
            "Thể lệ", "Thời gian", "Liên hệ", "Cách nộp bài", "Thi thử", "Nhắc hạn", "Gặp cán bộ hỗ trợ");
        catalog.Get("welcome", ("name", "Lan")).Should().StartWith("Xin chào Lan!");
    }

    [Fact]
    public void Nfd_text_in_a_dialog_file_is_read_as_nfc()
    {
        var nfd = "Thể lệ".Normalize(System.Text.NormalizationForm.FormD);
        var catalog = YamlTextCatalog.Parse("n.yaml", $"texts:\n  t: {nfd}\n");
        catalog.Get("t").Should().Be("Thể lệ".Normalize(System.Text.NormalizationForm.FormC));
    }

    internal static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CcBot.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("CcBot.sln not found");
    }
}
