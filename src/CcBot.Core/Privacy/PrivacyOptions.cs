namespace CcBot.Core.Privacy;

/// <summary>Personal data (Nghị định 13/2023/NĐ-CP): the consent version shown to participants and how long conversations are kept.</summary>
public sealed class PrivacyOptions
{
    public const string Section = "Privacy";

    /// <summary>Stored with every consent, beside the exact text shown; change it when the consent text changes.</summary>
    public string ConsentVersion { get; set; } = "2026-12-07";

    /// <summary>Transcript rows older than this many days are deleted by a daily job; 0 keeps them for ever.</summary>
    public int TranscriptRetentionDays { get; set; } = 365;

    /// <summary>When the retention job runs, a Quartz cron expression in Vietnam time (default 02:30 every day).</summary>
    public string RetentionCron { get; set; } = "0 30 2 * * ?";

    /// <summary>
    /// The address participants open the download link of their data at (the host's public address). Empty: the first
    /// address the host listens on when it names a host (as the README starts it, http://localhost:5080); otherwise no link is offered.
    /// </summary>
    public string PublicBaseUrl { get; set; } = "";

    /// <summary>How long a download link of a participant's data stays valid.</summary>
    public int ExportLinkMinutes { get; set; } = 60;
}
