namespace CcBot.Core.Storage;

/// <summary>Bound from the <c>Storage</c> configuration section.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary><c>sqlite</c> (embedded default) or <c>postgres</c>.</summary>
    public string Provider { get; set; } = "sqlite";

    /// <summary>Folder for the embedded database and uploaded files, relative to the content root.</summary>
    public string DataFolder { get; set; } = "App_Data";

    /// <summary>Connection string; for SQLite empty means <c>Data Source={DataFolder}/ccbot.db</c>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>SQLite <c>PRAGMA synchronous</c>: FULL (default, an fsync per group commit) or NORMAL.</summary>
    public string Synchronous { get; set; } = "FULL";

    /// <summary>Most writes folded into one transaction by the group-commit writer.</summary>
    public int MaxBatch { get; set; } = 256;
}
