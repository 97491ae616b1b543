using System.Net;
using CcBot.Core.Activities;
using CcBot.Core.Channels.BotFramework;
using CcBot.Core.Entries;

namespace CcBot.Core.Tests.Entries;

public sealed class TeamsAttachmentFetcherTests
{
    private sealed class Files : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(request.RequestUri!.AbsolutePath == "/download/bai.docx"
                ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent([1, 2, 3]) }
                : new HttpResponseMessage(HttpStatusCode.Forbidden));
    }

    private sealed class Factory : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new(new Files());
    }

    [Fact]
    public async Task Teams_file_uploads_are_downloaded_from_the_pre_authenticated_link()
    {
        var fetcher = new TeamsAttachmentFetcher(new Factory());
        var file = new ActivityAttachment(BotFrameworkWire.TeamsFileDownloadInfo, "bai.docx", "https://tenant.sharepoint.test/download/bai.docx");

        fetcher.Handles("msteams", file).Should().BeTrue();
        fetcher.Handles("msteams", file with { ContentType = "image/png" }).Should().BeFalse();
        (await fetcher.FetchAsync(file, 100, default)).Should().Equal(1, 2, 3);
        (await fetcher.FetchAsync(file, 2, default)).Should().BeNull();
        (await fetcher.FetchAsync(file with { Url = "https://tenant.sharepoint.test/other" }, 100, default)).Should().BeNull();
    }
}
