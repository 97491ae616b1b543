using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CcBot.Core.Privacy;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace CcBot.Host.Privacy;

/// <summary>
/// Download links of a participant's own data: the link carries the person, sealed with ASP.NET data protection (keys in the
/// database) with its expiry inside, so only the person who asked in the chat can open it, and only for
/// <c>Privacy:ExportLinkMinutes</c>.
/// </summary>
public sealed class PrivacyExportLinks(IDataProtectionProvider protection, IOptions<PrivacyOptions> options, IServer server, TimeProvider clock) : IPrivacyExportLinks
{
    public const string Purpose = "CcBot.Privacy.Export";

    public string? Create(PrivacySubject subject)
    {
        if (BaseUrl() is not { } baseUrl)
        {
            return null;
        }

        var expires = clock.GetUtcNow().AddMinutes(options.Value.ExportLinkMinutes).ToUnixTimeMilliseconds();
        var token = Protector().Protect(string.Join('\n', subject.Channel, subject.ChannelUserId, expires.ToString(CultureInfo.InvariantCulture)));
        return baseUrl.TrimEnd('/') + "/privacy/export/" + token;
    }

    /// <summary>The person a link names, or null when it was tampered with or has expired (on the injected clock).</summary>
    public PrivacySubject? Read(string token)
    {
        try
        {
            var parts = Protector().Unprotect(token).Split('\n');
            return parts.Length == 3 && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var expires)
                   && clock.GetUtcNow().ToUnixTimeMilliseconds() <= expires
                ? new PrivacySubject(parts[0], parts[1])
                : null;
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    private IDataProtector Protector() => protection.CreateProtector(Purpose);

    /// <summary><c>Privacy:PublicBaseUrl</c>, else the first address the server listens on when it names a host (not a wildcard).</summary>
    private string? BaseUrl()
    {
        if (options.Value.PublicBaseUrl.Length > 0)
        {
            return options.Value.PublicBaseUrl;
        }

        var first = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        return first is not null && Uri.TryCreate(first, UriKind.Absolute, out var uri) && uri.Host is not ("*" or "+" or "0.0.0.0" or "[::]") ? first : null;
    }
}

public static class PrivacyDownloads
{
    public static IServiceCollection AddPrivacyDownloads(this IServiceCollection services) =>
        services.AddSingleton<PrivacyExportLinks>().AddSingleton<IPrivacyExportLinks>(sp => sp.GetRequiredService<PrivacyExportLinks>());

    public static void MapPrivacyDownloads(this IEndpointRouteBuilder app) =>
        app.MapGet("/privacy/export/{token}", async (string token, PrivacyExportLinks links, PersonalDataExport export, HttpContext http, CancellationToken ct) =>
        {
            http.Response.Headers.CacheControl = "no-store";
            if (links.Read(token) is not { } subject)
            {
                return Results.Text("Đường dẫn không hợp lệ hoặc đã hết hạn. Bạn hãy nhắn \"dữ liệu của tôi\" cho CcBot để nhận đường dẫn mới.", "text/plain; charset=utf-8", Encoding.UTF8, StatusCodes.Status404NotFound);
            }

            var document = await export.ExportAsync(subject, ct);
            return Results.File(Encoding.UTF8.GetBytes(PersonalDataExport.ToText(document)), "application/json; charset=utf-8", "du-lieu-cua-toi.json");
        }).RequireRateLimiting(Core.Limits.RateLimits.Tokens);
}
