using System.CommandLine;
using CcBot.Core;
using CcBot.Core.Contests;
using CcBot.Core.Nlu;
using CcBot.Nlu;
using Microsoft.Extensions.Options;

namespace CcBot.Host.Cli;

/// <summary><c>contests validate|ingest</c> and <c>nlu train|eval|select|predict</c>.</summary>
internal static class ContestNluCommands
{
    public static IEnumerable<Command> Create(CliContext context) => [Contests(context), Nlu(context)];

    private static Command Contests(CliContext context)
    {
        var output = context.Output;
        var validate = new Command("validate", "Check every file in data/contests: schema, sources, date order, time zone.");
        validate.SetAction(_ => ContestCommands.Validate(Paths(context).Contests, output));

        var file = new Argument<string>("FILE") { Description = "The notice: .txt, .md or .docx." };
        var outOption = new Option<string?>("--out") { Description = "Where to write the draft (default data/contests/<id>.draft.yaml)." };
        var ingest = new Command("ingest", "Read an official notice and write a draft contest file with warnings to review.") { file, outOption };
        ingest.SetAction(parse => ContestCommands.Ingest(parse.GetValue(file)!, parse.GetValue(outOption), output));

        return new Command("contests", "Contest data from the official notices.") { validate, ingest };
    }

    private static Command Nlu(CliContext context)
    {
        var output = context.Output;
        var train = new Command("train", "Train the intent classifier from data/nlu and save the model.");
        train.SetAction(_ =>
        {
            var (paths, modelPath, _) = NluPaths(context);
            return NluCommands.Train(paths.Data, modelPath, output);
        });

        var test = new Option<string>("--test") { Description = "TSV with header intent<TAB>text.", Required = true };
        var eval = new Command("eval", "Accuracy, macro-F1, per-intent table and confusion matrix on a labelled TSV.") { test };
        eval.SetAction(parse => NluCommands.Eval(Paths(context).Data, parse.GetValue(test)!, output));

        var select = new Command("select", "Cross-validate the candidate ML.NET trainers on data/nlu/train.tsv and name the best.");
        select.SetAction(_ => NluCommands.Select(Paths(context).Data, output));

        var predict = new Command("predict", "Read lines from stdin, write one JSON object per line: text, intent, confidence.");
        predict.SetAction(async (_, ct) =>
        {
            var (paths, modelPath, routing) = NluPaths(context);
            var engine = NluEngine.LoadOrTrain(paths.Data, modelPath, routing);
            return await NluCommands.PredictAsync(engine, context.Input, output, ct);
        });

        return new Command("nlu", "The intent classifier.") { train, eval, select, predict };
    }

    private static ContentPaths Paths(CliContext context)
    {
        using var host = CliRoot.BuildServices(context);
        return host.Services.GetRequiredService<ContentPaths>();
    }

    private static (ContentPaths Paths, string ModelPath, RoutingOptions Routing) NluPaths(CliContext context)
    {
        using var host = CliRoot.BuildServices(context);
        var storage = host.Services.GetRequiredService<IOptions<Core.Storage.StorageOptions>>().Value;
        var nlu = host.Services.GetRequiredService<IOptions<NluOptions>>().Value;
        var env = host.Services.GetRequiredService<IHostEnvironment>();
        var folder = Path.GetFullPath(storage.DataFolder, env.ContentRootPath);
        Directory.CreateDirectory(folder);
        return (host.Services.GetRequiredService<ContentPaths>(), Path.Combine(folder, nlu.ModelFile), nlu.ToRouting());
    }
}
