namespace CcBot.Core;

/// <summary>Bound from <c>Content</c>: where <c>dialogs/</c> and <c>data/</c> live.</summary>
public sealed class ContentOptions
{
    public const string Section = "Content";

    /// <summary>The repository folder holding <c>dialogs/</c> and <c>data/</c>; empty means: search upwards from the content root.</summary>
    public string? Root { get; set; }
}

/// <summary>Resolved content folders.</summary>
public sealed record ContentPaths(string Root)
{
    public string Dialogs => Path.Combine(Root, "dialogs");

    public string Data => Path.Combine(Root, "data");

    public string Contests => Path.Combine(Data, "contests");

    public string Nlu => Path.Combine(Data, "nlu");

    public string Faq => Path.Combine(Data, "faq");

    public static ContentPaths Resolve(string? configuredRoot, string contentRoot)
    {
        if (!string.IsNullOrWhiteSpace(configuredRoot))
        {
            var full = Path.GetFullPath(configuredRoot, contentRoot);
            return Directory.Exists(Path.Combine(full, "dialogs"))
                ? new ContentPaths(full)
                : throw new InvalidOperationException($"Content:Root '{full}' has no 'dialogs' folder.");
        }

        foreach (var start in new[] { contentRoot, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(Path.GetFullPath(start)); dir is not null; dir = dir.Parent)
            {
                if (Directory.Exists(Path.Combine(dir.FullName, "dialogs")) && Directory.Exists(Path.Combine(dir.FullName, "data")))
                {
                    return new ContentPaths(dir.FullName);
                }
            }
        }

        throw new InvalidOperationException($"Could not find the 'dialogs' and 'data' folders above '{contentRoot}'. Set Content:Root.");
    }
}
