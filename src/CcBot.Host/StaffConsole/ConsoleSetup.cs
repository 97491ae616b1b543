using System.Security.Claims;
using CcBot.Core.HelpDesk;
using CcBot.Core.Storage;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace CcBot.Host.StaffConsole;

/// <summary>
/// The staff web console at /console: Razor Pages, cookie authentication, role policies checked on the server for every
/// page and endpoint, anti-forgery on every form (Razor Pages validate it on every POST), SignalR for the live queue.
/// The chat endpoints (Direct Line, Telegram, Teams) carry no authorization metadata and stay anonymous.
/// </summary>
public static class ConsoleSetup
{
    public const string Scheme = "CcBotConsole";
    public const string StaffPolicy = "staff";
    public const string HelpDeskPolicy = "helpdesk";
    public const string OrganizerPolicy = "organizer";
    public const string AdminPolicy = "admin";
    public const string HubPath = "/console/hub";

    public static IServiceCollection AddStaffConsole(this IServiceCollection services, IConfiguration configuration)
    {
        _ = configuration;
        services.AddAuthentication(Scheme).AddCookie(Scheme, o =>
        {
            o.Cookie.Name = "ccbot.console";
            o.Cookie.Path = "/console";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.LoginPath = "/console/login";
            o.LogoutPath = "/console/logout";
            o.AccessDeniedPath = "/console/denied";
            o.ExpireTimeSpan = TimeSpan.FromHours(8);
            o.SlidingExpiration = true;
            o.Events.OnRedirectToAccessDenied = ctx =>
            {
                ctx.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            };
            o.Events.OnRedirectToLogin = ctx =>
            {
                if (ctx.Request.Path.StartsWithSegments(HubPath) || !HttpMethods.IsGet(ctx.Request.Method))
                {
                    ctx.Response.StatusCode = StatusCodes.Status401Unauthorized;
                }
                else
                {
                    ctx.Response.Redirect(ctx.RedirectUri);
                }

                return Task.CompletedTask;
            };
        });
        services.AddAuthorizationBuilder()
            .AddPolicy(StaffPolicy, p => p.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser().RequireRole(StaffRoles.All))
            .AddPolicy(HelpDeskPolicy, p => p.AddAuthenticationSchemes(Scheme).RequireRole(StaffRoles.HelpDesk, StaffRoles.Admin))
            .AddPolicy(OrganizerPolicy, p => p.AddAuthenticationSchemes(Scheme).RequireRole(StaffRoles.Organizer, StaffRoles.Admin))
            .AddPolicy(AdminPolicy, p => p.AddAuthenticationSchemes(Scheme).RequireRole(StaffRoles.Admin));
        services.AddRazorPages(o =>
        {
            o.Conventions.AuthorizeFolder("/Console", StaffPolicy);
            o.Conventions.AuthorizeFolder("/Console/HelpDesk", HelpDeskPolicy);
            o.Conventions.AuthorizeFolder("/Console/Organizer", OrganizerPolicy);
            o.Conventions.AuthorizeFolder("/Console/Admin", AdminPolicy);
            o.Conventions.AllowAnonymousToPage("/Console/Login");
            o.Conventions.AddPageApplicationModelConvention("/Console/Login",
                m => m.EndpointMetadata.Add(new Microsoft.AspNetCore.RateLimiting.EnableRateLimitingAttribute(Core.Limits.RateLimits.SignIn)));
            o.Conventions.AllowAnonymousToPage("/Console/Denied");
        }).AddApplicationPart(typeof(ConsoleSetup).Assembly); // the pages live here even when a test or bench assembly is the entry point
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "ccbot.console.af";
            o.Cookie.Path = "/console";
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        // Vietnamese text is written as is, not as numeric character references (the encoder still escapes markup).
        services.Configure<Microsoft.Extensions.WebEncoders.WebEncoderOptions>(o => o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        services.AddSignalR();
        services.AddHelpDeskNotifier<SignalRHelpDeskNotifier>(); // through PostgreSQL NOTIFY when several instances share the database
        services.AddStore<IConsoleReports, SqliteConsoleReports, PostgresConsoleReports>();
        services.AddDatabaseKeyRing(); // cookies valid on every instance and across restarts
        return services;
    }

    /// <summary>Headers of every console response: no inline script or style, no framing, no sniffing, no referrer leaving the site.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'";

    public static WebApplication UseStaffConsole(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            if (context.Request.Path.StartsWithSegments("/console", StringComparison.OrdinalIgnoreCase))
            {
                var headers = context.Response.Headers;
                headers.ContentSecurityPolicy = ContentSecurityPolicy;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "same-origin";
            }

            return next(context);
        });
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapRazorPages();
        app.MapHub<HelpDeskHub>(HubPath).RequireAuthorization(HelpDeskPolicy);
        return app;
    }

    public static string StaffName(this ClaimsPrincipal user) => user.Identity?.Name ?? throw new InvalidOperationException("Not signed in.");
}

/// <summary>Browsers of help desk staff listen here for "queue" and "conversation" events.</summary>
[Authorize(Policy = ConsoleSetup.HelpDeskPolicy)]
public sealed class HelpDeskHub : Hub;

/// <summary>Pushes help desk changes to the console over SignalR.</summary>
public sealed class SignalRHelpDeskNotifier(IHubContext<HelpDeskHub> hub) : IHelpDeskNotifier
{
    public Task ConversationChangedAsync(string conversationKey, CancellationToken cancellationToken) =>
        hub.Clients.All.SendAsync("conversation", conversationKey, cancellationToken);

    public Task QueueChangedAsync(CancellationToken cancellationToken) => hub.Clients.All.SendAsync("queue", cancellationToken);
}
