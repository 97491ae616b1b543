namespace CcBot.Bench.Storage;

/// <summary>
/// The conversation store's work for one turn, as the pipeline does it: store the inbound message (durably, before
/// the channel is acknowledged), load the conversation, then in one commit mark the message handled, upsert the
/// conversation state and store the reply.
/// </summary>
internal interface ITurnStore : IAsyncDisposable
{
    string Name { get; }

    Task TurnAsync(string prefix, int conversation, int turn, CancellationToken cancellationToken);

    /// <summary>Turns whose commit is in the file (inbound rows marked handled, with their reply).</summary>
    long CountCommittedTurns();

    /// <summary>"ok" or what the engine's own check found wrong.</summary>
    string Check();
}

internal static class TurnStores
{
    public static ITurnStore Open(string engine, string file, bool shared) => engine switch
    {
        "sqlite" => SqliteTurnStore.Open(file),
        "litedb" => LiteDbTurnStore.Open(file, shared),
        _ => throw new ArgumentException($"Unknown engine '{engine}' (sqlite or litedb)."),
    };

    public static string MessageText(int conversation, int turn) => (turn % 3) switch
    {
        0 => "Hạn cuối nộp bài dự thi là ngày nào?",
        1 => "so dien thoai ban to chuc",
        _ => $"Tôi ở đơn vị số {conversation}, cho hỏi thể lệ cuộc thi",
    };
}
