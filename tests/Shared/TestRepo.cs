namespace CcBot.Testing;

/// <summary>Finds the repository root (the folder with CcBot.sln).</summary>
public static class TestRepo
{
    public static string Root { get; } = Find();

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CcBot.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("CcBot.sln not found above " + AppContext.BaseDirectory);
    }
}
