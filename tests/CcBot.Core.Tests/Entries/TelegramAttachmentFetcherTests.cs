using System.Net;
using System.Text;
using CcBot.Core.Activities;
using CcBot.Core.Channels.Telegram;
using CcBot.Core.Entries;
using Microsoft.Extensions.DependencyInjection;

namespace CcBot.Core.Tests.Entries;

public sealed class TelegramAttachmentFetcherTests
{
    private sealed class StubBotApi : HttpMessageHandler
    {
        public List<string> Requests { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var url = request.RequestUri!.ToString();
            Requests.Add(url);
            if (url.EndsWith("/bot1:x/getFile", StringComparison.Ordinal))
            {
                var body = await request.Content!.ReadAsStringAsync(cancellationToken);
                if (!body.Contains("\"file_id\":\"DOC1\"", StringComparison.Ordinal))
                {
                    return new HttpResponseMessage(HttpStatusCode.BadRequest)
                    {
                        Content = new StringContent("""{"ok":false,"error_code":400,"description":"Bad Request: invalid file_id"}""", Encoding.UTF8, "application/json"),
                    };
                }

                return new HttpResponseMessage(HttpStatusCode.OK)
                {
                    Content = new StringContent("""{"ok":true,"result":{"file_id":"DOC1","file_size":9,"file_path":"documents/file_1.txt"}}""", Encoding.UTF8, "application/json"),
                };
            }

            return url.EndsWith("/file/bot1:x/documents/file_1.txt", StringComparison.Ordinal)
                ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent("Sáng kiến"u8.ToArray()) }
                : new HttpResponseMessage(HttpStatusCode.NotFound);
        }
    }

    [Fact]
    public async Task Telegram_documents_are_fetched_with_getFile_then_downloaded()
    {
        var stub = new StubBotApi();
        var services = new ServiceCollection();
        services.AddSingleton(new TelegramApiClient(new HttpClient(stub), Microsoft.Extensions.Options.Options.Create(new TelegramOptions { BotToken = "1:x", ApiBaseUrl = "http://bot.test" })));
        var fetcher = new TelegramAttachmentFetcher(services.BuildServiceProvider());
        var attachment = new ActivityAttachment("text/plain", "bai.txt", "telegram-file:DOC1", 9);

        fetcher.Handles("telegram", attachment).Should().BeTrue();
        (await fetcher.FetchAsync(attachment, 1000, default)).Should().Equal("Sáng kiến"u8.ToArray());
        (await fetcher.FetchAsync(attachment, 5, default)).Should().BeNull();
        (await fetcher.FetchAsync(attachment with { Url = "telegram-file:OTHER" }, 1000, default)).Should().BeNull();
    }
}
