using CcBot.Core.Contests;
using CcBot.Core.Text;

namespace CcBot.Core.Tests.Contests;

/// <summary>A clock the test moves by hand (FakeTimeProvider is not available).</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    public DateTimeOffset UtcNow { get; set; } = start.ToUniversalTime();

    public override DateTimeOffset GetUtcNow() => UtcNow;

    public void Advance(TimeSpan by) => UtcNow += by;

    public void Set(DateTimeOffset now) => UtcNow = now.ToUniversalTime();
}

internal static class Repo
{
    private static readonly Lazy<string> RootLazy = new(() =>
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CcBot.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("CcBot.sln not found above " + AppContext.BaseDirectory);
    });

    private static readonly Lazy<ContestCatalog> CatalogLazy = new(() => ContestCatalog.Load(ContestsDir));

    private static readonly Lazy<ITextCatalog> TextsLazy = new(() => YamlTextCatalog.Parse("contests.yaml", File.ReadAllText(Path.Combine(Root, "dialogs", "contests.yaml"))));

    public static string Root => RootLazy.Value;

    public static string ContestsDir => Path.Combine(Root, "data", "contests");

    public static string SeedsDir => Path.Combine(Root, "tests", "CcBot.Core.Tests", "Contests", "Seeds");

    public static ContestCatalog Catalog => CatalogLazy.Value;

    public static ITextCatalog Texts => TextsLazy.Value;

    public static Contest Contest(string id) => Catalog.Find(id) ?? throw new InvalidOperationException("no contest " + id);

    public static readonly IReadOnlyDictionary<string, string> SeedFiles = new Dictionary<string, string>
    {
        ["ha-noi-2019"] = "000_70f6e1c12cd868d7.txt",
        ["hai-duong-2024"] = "001_329b34dbdeec4ea9.txt",
        ["khanh-hoa-2021"] = "002_d21753b2a0909a05.txt",
        ["hai-phong-2024"] = "003_91eeeb8d29fc73d5.txt",
        ["bac-giang-2020"] = "004_1c9f7108a6ea34e7.txt",
    };

    public static string Seed(string id) => Path.Combine(SeedsDir, SeedFiles[id]);

    /// <summary>A fresh temporary folder, deleted by the caller's using.</summary>
    public static TempDir Temp() => new();
}

internal sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "ccbot-contests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, true);
        }
        catch (IOException)
        {
        }
    }
}
