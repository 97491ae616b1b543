using BenchmarkDotNet.Running;
using CcBot.Bench;

// Named load runs are plain timed console runs; anything else goes to BenchmarkDotNet (e.g. `-- --filter '*Nlu*'`).
return args switch
{
    ["pipeline", .. var rest] => await PipelineThroughput.RunAsync(rest),
    ["telemetry-ab", .. var rest] => await TelemetryAb.RunAsync(rest),
    ["alloc", .. var rest] => await AllocationProfile.RunAsync(rest),
    ["router"] => await PipelineThroughput.RouterOnlyAsync(),
    ["telegram", .. var rest] => TelegramThroughput.Run(rest),
    ["quiz", .. var rest] => await QuizThroughput.RunAsync(rest),
    ["broadcast", .. var rest] => await BroadcastThroughput.RunAsync(rest),
    ["scaleout", .. var rest] => await ScaleOutThroughput.RunAsync(rest),
    ["scaleout-worker", .. var rest] => await ScaleOutThroughput.WorkerAsync(rest),
    ["storage", .. var rest] => await CcBot.Bench.Storage.StorageComparison.RunAsync(rest),
    ["storage-worker", .. var rest] => await CcBot.Bench.Storage.StorageComparison.WorkerAsync(rest),
    _ => Run(args),
};

static int Run(string[] args)
{
    BenchmarkSwitcher.FromAssembly(typeof(PipelineThroughput).Assembly).Run(args);
    return 0;
}
