public static class Program
{
    public static int Main(string[] args)
    {
        // `-- telegram [UPDATES] [CHATS] [FULL|NORMAL]`: plain console throughput run of the Telegram channel (not BenchmarkDotNet).
        if (args is ["telegram", .. var rest])
        {
            return CcBot.Bench.TelegramThroughput.Run(rest);
        }

        return 0;
    }
}
