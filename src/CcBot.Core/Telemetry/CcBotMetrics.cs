using System.Diagnostics.Metrics;

namespace CcBot.Core.Telemetry;

/// <summary>
/// The bot's instruments on one <see cref="Meter"/> named <c>CcBot</c> (OpenTelemetry semantic-convention style: dotted
/// lower-case names, UCUM units, low-cardinality attributes: channel, status, route; never a user or a text).
/// </summary>
public sealed class CcBotMetrics
{
    public const string MeterName = "CcBot";

    private readonly Counter<long> _activities;
    private readonly Histogram<double> _turnDuration;
    private readonly Counter<long> _replies;
    private readonly Counter<long> _routes;
    private readonly Counter<long> _escalations;
    private readonly Histogram<double> _rateLimitWait;
    private volatile OperationsSnapshot? _snapshot;

    public CcBotMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        _activities = meter.CreateCounter<long>("ccbot.activity.received", "{activity}", "Activities received and stored (duplicates not counted).");
        _turnDuration = meter.CreateHistogram<double>("ccbot.turn.duration", "s", "Time from the start of a turn to its commit (state, replies, escalations stored).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
        _replies = meter.CreateCounter<long>("ccbot.reply.send", "{reply}", "Reply send attempts by outcome (sent, retry, failed, unreachable, channel_off, queued).");
        _routes = meter.CreateCounter<long>("ccbot.nlu.route", "{message}", "How free text was routed (intent, facts, faq, out_of_scope, unsure).");
        _escalations = meter.CreateCounter<long>("ccbot.escalation.created", "{escalation}", "Questions handed to the help desk.");
        _rateLimitWait = meter.CreateHistogram<double>("ccbot.ratelimit.wait", "s", "Time a send waited for the channel's rate limit (sends that waited 1 ms or more).",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30] });

        // Gauges read the latest snapshot of OperationsGaugeSampler (none until it has run: then nothing is reported).
        meter.CreateObservableGauge("ccbot.outbox.backlog", () => ByKey(s => s.OutboxDueBySource, "source"), "{message}", "Reminders and broadcasts due and not yet sent.");
        meter.CreateObservableGauge("ccbot.outbox.oldest_wait", () => One(s => s.OutboxOldestWaitSeconds), "s", "How long the oldest due outbox message has waited.");
        meter.CreateObservableGauge("ccbot.reply.unsent", () => One(s => (double)s.UnsentReplies), "{reply}", "Replies stored and not yet delivered (pending or to retry).");
        meter.CreateObservableGauge("ccbot.reply.oldest_unsent_age", () => One(s => s.OldestUnsentReplySeconds), "s", "Age of the oldest undelivered reply.");
        meter.CreateObservableGauge("ccbot.escalation.open", () => One(s => (double)s.OpenEscalations), "{escalation}", "Help-desk tickets open.");
        meter.CreateObservableGauge("ccbot.quiz.attempts", () => ByKey(s => s.QuizAttemptsByStatus, "status"), "{attempt}", "Quiz attempts by status (active, finished…).");
        meter.CreateObservableGauge("ccbot.broadcast.messages", () => ByKey(s => s.BroadcastMessagesByStatus, "status"), "{message}", "Broadcast messages by status: the progress of broadcasts.");
    }

    /// <summary>Makes <paramref name="snapshot"/> what the gauges report.</summary>
    public void Publish(OperationsSnapshot snapshot) => _snapshot = snapshot;

    public void RateLimitWaited(string channel, TimeSpan waited)
    {
        if (waited >= TimeSpan.FromMilliseconds(1))
        {
            _rateLimitWait.Record(waited.TotalSeconds, new KeyValuePair<string, object?>("channel", channel));
        }
    }

    private IEnumerable<Measurement<double>> One(Func<OperationsSnapshot, double> read) =>
        _snapshot is { } s ? [new Measurement<double>(read(s))] : [];

    private IEnumerable<Measurement<long>> ByKey(Func<OperationsSnapshot, IReadOnlyDictionary<string, long>> read, string attribute) =>
        _snapshot is { } s ? read(s).Select(kv => new Measurement<long>(kv.Value, new KeyValuePair<string, object?>(attribute, kv.Key))).ToList() : [];

    public void ActivityReceived(string channel) => _activities.Add(1, new KeyValuePair<string, object?>("channel", channel));

    public void TurnCompleted(string channel, TimeSpan duration, bool failed) =>
        _turnDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("channel", channel), new KeyValuePair<string, object?>("outcome", failed ? "error" : "ok"));

    public void ReplySent(string channel, string status) =>
        _replies.Add(1, new KeyValuePair<string, object?>("channel", channel), new KeyValuePair<string, object?>("status", status));

    public void Routed(string route) => _routes.Add(1, new KeyValuePair<string, object?>("route", route));

    public void Escalated(string channel, int count) => _escalations.Add(count, new KeyValuePair<string, object?>("channel", channel));
}
