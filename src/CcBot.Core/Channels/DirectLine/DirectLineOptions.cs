namespace CcBot.Core.Channels.DirectLine;

/// <summary>Bound from the <c>DirectLine</c> configuration section.</summary>
public sealed class DirectLineOptions
{
    public const string Section = "DirectLine";

    /// <summary>HMAC key for conversation tokens. Empty: a random key is generated once and kept in the database.</summary>
    public string? TokenSigningKey { get; set; }

    /// <summary>Token lifetime; Web Chat refreshes every 15 minutes, so this must be longer (default 30 minutes).</summary>
    public int TokenLifetimeSeconds { get; set; } = 1800;

    /// <summary>Optional secret for server-to-server <c>POST /v3/directline/tokens/generate</c>; empty disables that endpoint.</summary>
    public string? Secret { get; set; }

    /// <summary>Origins allowed to call the Direct Line API from a browser (the contest portals embedding the chat). <c>*</c> allows any.</summary>
    public string[] AllowedOrigins { get; set; } = ["*"];

    /// <summary>
    /// How long <c>POST .../activities</c> (and the conversation start, for the welcome) waits for the bot's turn before
    /// answering. 0 (default): answered as soon as the activity is durably stored; the turn runs from the inbox and its
    /// replies reach the client over the stream or the next poll, so Web Chat does not show "sending" for a whole turn.
    /// </summary>
    public int PostWaitSeconds { get; set; }

    /// <summary>Largest accepted activity, in characters of JSON (the service limit is 256K).</summary>
    public int MaxActivityChars { get; set; } = 256 * 1024;

    /// <summary>Largest upload, in bytes.</summary>
    public long MaxUploadBytes { get; set; } = 20 * 1024 * 1024;

    /// <summary>
    /// A WebSocket stream is closed (normally, code 1000) after this many seconds, and the client reconnects from its watermark:
    /// long-lived sockets are spread again over the instances and none outlives its token by long. 0: never.
    /// </summary>
    public int StreamLifetimeSeconds { get; set; } = 1800;

    /// <summary>A conversation opened but never written in is removed after this many hours (0: never).</summary>
    public int AbandonedAfterHours { get; set; } = 24;
}
