using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using CcBot.Core.Activities;
using CcBot.Core.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CcBot.Core.Channels.DirectLine;

/// <summary>
/// Files uploaded through <c>/upload</c>: stored content-addressed (SHA-256) in the data folder and offered back
/// through a signed link that expires after 24 hours, as the Direct Line service does.
/// </summary>
public sealed class DirectLineUploads(IOptions<StorageOptions> storage, IHostEnvironment environment, DirectLineTokens tokens, TimeProvider clock)
{
    private static readonly TimeSpan LinkLifetime = TimeSpan.FromHours(24);

    private string Folder => Path.Combine(Path.GetFullPath(storage.Value.DataFolder, environment.ContentRootPath), "uploads");

    public sealed record UploadResult(JsonObject? Activity, IReadOnlyList<ActivityAttachment> Attachments, string? Error);

    public async Task<UploadResult> ReadAsync(HttpRequest request, DirectLineGrant grant, CancellationToken ct)
    {
        Directory.CreateDirectory(Folder);
        var attachments = new List<ActivityAttachment>();
        JsonObject? activity = null;
        if (request.HasFormContentType)
        {
            IFormCollection form;
            try
            {
                form = await request.ReadFormAsync(ct).ConfigureAwait(false);
            }
            catch (InvalidDataException ex)
            {
                return new UploadResult(null, [], "Malformed multipart body: " + ex.Message);
            }

            foreach (var file in form.Files)
            {
                if (file.Name == "activity")
                {
                    using var reader = new StreamReader(file.OpenReadStream());
                    try
                    {
                        activity = JsonNode.Parse(await reader.ReadToEndAsync(ct).ConfigureAwait(false)) as JsonObject;
                    }
                    catch (JsonException ex)
                    {
                        return new UploadResult(null, [], "The 'activity' part is not valid JSON: " + ex.Message);
                    }

                    continue;
                }

                await using var stream = file.OpenReadStream();
                attachments.Add(await StoreAsync(stream, file.FileName, file.ContentType, ct).ConfigureAwait(false));
            }
        }
        else
        {
            var name = request.Headers.ContentDisposition.ToString() is { Length: > 0 } cd
                ? Microsoft.Net.Http.Headers.ContentDispositionHeaderValue.TryParse(cd, out var parsed) ? parsed.FileName.Value?.Trim('"') : null
                : null;
            attachments.Add(await StoreAsync(request.Body, name ?? "tep-dinh-kem", request.ContentType ?? "application/octet-stream", ct).ConfigureAwait(false));
        }

        if (attachments.Count == 0)
        {
            return new UploadResult(null, [], "No file in the upload.");
        }

        activity ??= new JsonObject { ["type"] = "message" };
        activity["type"] ??= "message";
        activity["from"] ??= new JsonObject { ["id"] = grant.UserId };
        return new UploadResult(activity, attachments, null);
    }

    private async Task<ActivityAttachment> StoreAsync(Stream content, string fileName, string contentType, CancellationToken ct)
    {
        var temp = Path.Combine(Folder, "tmp-" + Guid.NewGuid().ToString("N"));
        long size;
        byte[] hash;
        await using (var output = File.Create(temp))
        using (var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
        {
            var buffer = new byte[81920];
            int n;
            size = 0;
            while ((n = await content.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
            {
                sha.AppendData(buffer, 0, n);
                await output.WriteAsync(buffer.AsMemory(0, n), ct).ConfigureAwait(false);
                size += n;
            }

            hash = sha.GetHashAndReset();
        }

        var hex = Convert.ToHexStringLower(hash);
        var target = Path.Combine(Folder, hex);
        if (File.Exists(target))
        {
            File.Delete(temp);
        }
        else
        {
            File.Move(temp, target);
        }

        var safeName = Path.GetFileName(fileName);
        await File.WriteAllTextAsync(target + ".json", JsonSerializer.Serialize(new { name = safeName, contentType }), ct).ConfigureAwait(false);
        var exp = clock.GetUtcNow().Add(LinkLifetime).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var sig = await tokens.SignAsync(hex + "|" + exp, ct).ConfigureAwait(false);
        return new ActivityAttachment(contentType, safeName, $"/v3/directline/attachments/{hex}?exp={exp}&sig={sig}", size);
    }

    public async Task<(string Path, string ContentType, string Name)?> OpenAsync(string hash, string sig, string exp, CancellationToken ct)
    {
        if (hash.Length != 64 || !hash.All(char.IsAsciiHexDigitLower) || !long.TryParse(exp, NumberStyles.None, CultureInfo.InvariantCulture, out var expires))
        {
            return null;
        }

        if (DateTimeOffset.FromUnixTimeSeconds(expires) < clock.GetUtcNow())
        {
            return null;
        }

        var expected = await tokens.SignAsync(hash + "|" + exp, ct).ConfigureAwait(false);
        if (!CryptographicOperations.FixedTimeEquals(System.Text.Encoding.ASCII.GetBytes(expected), System.Text.Encoding.ASCII.GetBytes(sig)))
        {
            return null;
        }

        var path = Path.Combine(Folder, hash);
        if (!File.Exists(path))
        {
            return null;
        }

        using var meta = JsonDocument.Parse(await File.ReadAllTextAsync(path + ".json", ct).ConfigureAwait(false));
        return (path, meta.RootElement.GetProperty("contentType").GetString() ?? "application/octet-stream", meta.RootElement.GetProperty("name").GetString() ?? hash);
    }
}
