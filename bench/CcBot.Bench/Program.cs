using BenchmarkDotNet.Running;
using CcBot.Bench;

// `pipeline`, `quiz` (and other named load runs) are plain timed runs; anything else goes to BenchmarkDotNet.
return args switch
{
    ["pipeline", .. var rest] => await PipelineThroughput.RunAsync(rest),
    ["quiz", .. var rest] => await QuizThroughput.RunAsync(rest),
    _ => Run(args),
};

static int Run(string[] args)
{
    BenchmarkSwitcher.FromAssembly(typeof(PipelineThroughput).Assembly).Run(args);
    return 0;
}
