using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace CcBot.Bench;

/// <summary>
/// The OpenTelemetry SDK listening to the <c>CcBot</c> meter and activity source as the host does when metrics and
/// tracing are exported: every span recorded (batch processor) and metrics collected every second, handed to exporters
/// that discard them (the cost measured is the bot's instrumentation and the SDK's, not a network).
/// </summary>
internal sealed class TelemetryOverhead : IDisposable
{
    private readonly TracerProvider? _tracer;
    private readonly MeterProvider? _meters;
    private readonly DiscardExporter<Activity> _spans = new();
    private readonly DiscardExporter<Metric> _metrics = new();

    public TelemetryOverhead(bool traces = true, bool metrics = true, double sampleRatio = 1.0)
    {
        _tracer = !traces ? null : Sdk.CreateTracerProviderBuilder()
            .AddSource(CcBot.Core.Telemetry.CcBotTracing.SourceName)
            .SetSampler(new ParentBasedSampler(new TraceIdRatioBasedSampler(sampleRatio)))
            .AddProcessor(new BatchActivityExportProcessor(_spans))
            .Build();
        _meters = !metrics ? null : Sdk.CreateMeterProviderBuilder()
            .AddMeter(CcBot.Core.Telemetry.CcBotMetrics.MeterName)
            .AddReader(new PeriodicExportingMetricReader(_metrics, exportIntervalMilliseconds: 1000))
            .Build();
    }

    public long SpansExported => _spans.Count;

    public long MetricBatchesExported => _metrics.Count;

    public void Dispose()
    {
        _tracer?.ForceFlush();
        _meters?.ForceFlush();
        _tracer?.Dispose();
        _meters?.Dispose();
    }

    private sealed class DiscardExporter<T> : BaseExporter<T>
        where T : class
    {
        public long Count;

        public override ExportResult Export(in Batch<T> batch)
        {
            foreach (var _ in batch)
            {
                Interlocked.Increment(ref Count);
            }

            return ExportResult.Success;
        }
    }
}
