using System.Net;
using CcBot.Core.Telemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace CcBot.Host.Health;

/// <summary>Where the <c>CcBot</c> meter's figures go (<c>Metrics</c> section). Both exports are off by default.</summary>
public sealed class MetricsOptions
{
    public const string Section = "Metrics";

    /// <summary>Serves Prometheus' text format at <c>/metrics</c>, to loopback (and <see cref="PrometheusAllowedNetworks"/>) only.</summary>
    public bool Prometheus { get; set; }

    /// <summary>Networks besides loopback that may scrape <c>/metrics</c> (CIDR, e.g. the Prometheus container's network).</summary>
    public string[] PrometheusAllowedNetworks { get; set; } = [];

    /// <summary>An OTLP collector (e.g. http://127.0.0.1:4317) to push metrics to; empty: none.</summary>
    public string OtlpEndpoint { get; set; } = "";

    /// <summary>How often the gauges (outbox backlog, unsent replies, open escalations, quiz attempts, broadcast progress) are read from the database.</summary>
    public int GaugeIntervalSeconds { get; set; } = 15;
}

/// <summary>OpenTelemetry metrics of the <c>CcBot</c> meter (and ASP.NET Core's), exported as configured.</summary>
public static class Telemetry
{
    public static IServiceCollection AddCcBotTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(MetricsOptions.Section).Get<MetricsOptions>() ?? new MetricsOptions();
        services.Configure<MetricsOptions>(configuration.GetSection(MetricsOptions.Section));
        if (!options.Prometheus && options.OtlpEndpoint.Length == 0)
        {
            return services;
        }

        if (options.OtlpEndpoint.Length > 0 && !Uri.TryCreate(options.OtlpEndpoint, UriKind.Absolute, out _))
        {
            throw new InvalidOperationException("Metrics:OtlpEndpoint must be an absolute URL, e.g. http://127.0.0.1:4317.");
        }

        if (options.GaugeIntervalSeconds is < 1 or > 3600)
        {
            throw new InvalidOperationException("Metrics:GaugeIntervalSeconds must be between 1 and 3600.");
        }

        services.AddHostedService(sp => ActivatorUtilities.CreateInstance<OperationsGaugeSampler>(sp, TimeSpan.FromSeconds(options.GaugeIntervalSeconds)));

        foreach (var network in options.PrometheusAllowedNetworks)
        {
            if (!IPNetwork.TryParse(network, out _))
            {
                throw new InvalidOperationException($"Metrics:PrometheusAllowedNetworks: '{network}' is not a CIDR network (e.g. 172.16.0.0/12).");
            }
        }

        services.AddOpenTelemetry().WithMetrics(m =>
        {
            m.AddMeter(CcBotMetrics.MeterName, "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel");
            if (options.Prometheus)
            {
                m.AddPrometheusExporter();
            }

            if (options.OtlpEndpoint.Length > 0)
            {
                m.AddOtlpExporter(o => o.Endpoint = new Uri(options.OtlpEndpoint));
            }
        });
        return services;
    }

    public static void MapCcBotMetrics(this WebApplication app)
    {
        var options = app.Configuration.GetSection(MetricsOptions.Section).Get<MetricsOptions>() ?? new MetricsOptions();
        if (!options.Prometheus)
        {
            return;
        }

        var allowed = options.PrometheusAllowedNetworks.Select(IPNetwork.Parse).ToList();
        // Never public: a scrape from anywhere but loopback or an allowed network is refused.
        app.UseOpenTelemetryPrometheusScrapingEndpoint(http =>
            http.Request.Path == "/metrics"
            && http.Connection.RemoteIpAddress is { } ip
            && (IPAddress.IsLoopback(ip) || allowed.Any(n => n.Contains(ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip))));
    }
}

/// <summary>Where spans go (<c>Tracing</c> section): off unless an OTLP collector is configured.</summary>
public sealed class TracingOptions
{
    public const string Section = "Tracing";

    /// <summary>An OTLP collector (e.g. http://127.0.0.1:4317); empty: no spans are recorded.</summary>
    public string OtlpEndpoint { get; set; } = "";

    /// <summary>
    /// Share of turns whose spans are recorded (head sampling on the trace id; a span follows its parent's decision).
    /// 1 records every turn, so any participant's message can be followed; lower it to cut the cost at high load.
    /// </summary>
    public double SampleRatio { get; set; } = 1.0;
}

/// <summary>Spans of the <c>CcBot</c> source with ASP.NET Core and HttpClient instrumentation, exported over OTLP.</summary>
public static class Tracing
{
    public static IServiceCollection AddCcBotTracing(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(TracingOptions.Section).Get<TracingOptions>() ?? new TracingOptions();
        if (options.OtlpEndpoint.Length == 0)
        {
            return services;
        }

        if (!Uri.TryCreate(options.OtlpEndpoint, UriKind.Absolute, out var endpoint))
        {
            throw new InvalidOperationException("Tracing:OtlpEndpoint must be an absolute URL, e.g. http://127.0.0.1:4317.");
        }

        if (!(options.SampleRatio > 0 && options.SampleRatio <= 1))
        {
            throw new InvalidOperationException("Tracing:SampleRatio must be above 0 and at most 1 (1 records every turn).");
        }

        services.AddOpenTelemetry().WithTracing(t => t
            .AddSource(CcBotTracing.SourceName)
            .SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(options.SampleRatio)))
            .AddAspNetCoreInstrumentation()
            .AddHttpClientInstrumentation()
            .AddOtlpExporter(o => o.Endpoint = endpoint));
        return services;
    }
}
