using CcBot.Core.Activities;
using CcBot.Core.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CcBot.Core.Entries;

/// <summary>Downloads the bytes of a chat attachment for one channel.</summary>
public interface IAttachmentFetcher
{
    /// <summary>True when this fetcher handles attachments of the channel.</summary>
    bool Handles(string channel, ActivityAttachment attachment);

    /// <summary>The content, or null when it cannot be fetched (missing, expired, too large to fetch).</summary>
    Task<byte[]?> FetchAsync(ActivityAttachment attachment, long maxBytes, CancellationToken cancellationToken);
}

/// <summary>
/// Direct Line (web chat) uploads are already in <c>{DataFolder}/uploads/&lt;sha256&gt;</c>; the attachment link names the hash.
/// Other channels' files are fetched by <see cref="TelegramAttachmentFetcher"/> and <see cref="TeamsAttachmentFetcher"/>.
/// </summary>
public sealed class DirectLineAttachmentFetcher(IOptions<StorageOptions> storage, IHostEnvironment environment) : IAttachmentFetcher
{
    private const string Prefix = "/v3/directline/attachments/";

    public bool Handles(string channel, ActivityAttachment attachment) => attachment.Url?.Contains(Prefix, StringComparison.Ordinal) == true;

    public async Task<byte[]?> FetchAsync(ActivityAttachment attachment, long maxBytes, CancellationToken cancellationToken)
    {
        var url = attachment.Url!;
        var start = url.IndexOf(Prefix, StringComparison.Ordinal) + Prefix.Length;
        var end = url.IndexOf('?', start);
        var hash = end < 0 ? url[start..] : url[start..end];
        if (hash.Length != 64 || !hash.All(Uri.IsHexDigit))
        {
            return null;
        }

        var path = Path.Combine(Path.GetFullPath(storage.Value.DataFolder, environment.ContentRootPath), "uploads", hash.ToLowerInvariant());
        if (!File.Exists(path) || new FileInfo(path).Length > maxBytes)
        {
            return null;
        }

        return await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>
/// Telegram documents arrive as <c>telegram-file:&lt;file_id&gt;</c>: getFile gives the path, then the file is downloaded from the Bot API
/// (Telegram serves bot downloads up to 20 MB).
/// </summary>
public sealed class TelegramAttachmentFetcher(IServiceProvider services) : IAttachmentFetcher
{
    private const string Prefix = "telegram-file:";

    public bool Handles(string channel, ActivityAttachment attachment) => attachment.Url?.StartsWith(Prefix, StringComparison.Ordinal) == true;

    public async Task<byte[]?> FetchAsync(ActivityAttachment attachment, long maxBytes, CancellationToken cancellationToken)
    {
        if (services.GetService(typeof(Channels.Telegram.TelegramApiClient)) is not Channels.Telegram.TelegramApiClient api)
        {
            return null;
        }

        try
        {
            var file = await api.GetFileAsync(attachment.Url![Prefix.Length..], cancellationToken).ConfigureAwait(false);
            return file.FilePath is null || file.FileSize > maxBytes ? null : await api.DownloadFileAsync(file.FilePath, maxBytes, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is global::Telegram.Bot.Exceptions.RequestException or HttpRequestException or TimeoutException)
        {
            return null;
        }
    }
}

/// <summary>Teams file uploads (<c>application/vnd.microsoft.teams.file.download.info</c>): the pre-authenticated https download link is fetched directly.</summary>
public sealed class TeamsAttachmentFetcher(IHttpClientFactory httpFactory) : IAttachmentFetcher
{
    public const string HttpClientName = "entries.teams-files";

    public bool Handles(string channel, ActivityAttachment attachment) =>
        attachment.ContentType.Equals(Channels.BotFramework.BotFrameworkWire.TeamsFileDownloadInfo, StringComparison.OrdinalIgnoreCase)
        && Uri.TryCreate(attachment.Url, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps;

    public async Task<byte[]?> FetchAsync(ActivityAttachment attachment, long maxBytes, CancellationToken cancellationToken)
    {
        try
        {
            using var http = httpFactory.CreateClient(HttpClientName);
            using var response = await http.GetAsync(attachment.Url, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode || response.Content.Headers.ContentLength > maxBytes)
            {
                return null;
            }

            var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            return bytes.LongLength > maxBytes ? null : bytes;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }
}
