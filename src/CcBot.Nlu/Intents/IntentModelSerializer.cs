using System.Text;

namespace CcBot.Nlu;

/// <summary>
/// Binary model format (little-endian, via <see cref="BinaryWriter"/>):
/// magic "CCNLU" + format version (int32) + training-data hash (string) + feature options + class names +
/// temperature (double) + biases (float × C) + row count + rows (bucket index int32, weights float × C), rows in ascending index order.
/// Only rows with a trained feature are stored, so files stay small. No timestamps: same model → same bytes.
/// </summary>
internal static class IntentModelSerializer
{
    private const string Magic = "CCNLU";
    public const int FormatVersion = 1;

    public static void Write(IntentModel model, Stream stream)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(stream);
        using var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        w.Write(Encoding.ASCII.GetBytes(Magic));
        w.Write(FormatVersion);
        w.Write(model.TrainingDataHash);
        var f = model.Features;
        w.Write(f.HashBits);
        w.Write(f.MinCharNgram);
        w.Write(f.MaxCharNgram);
        w.Write(f.UnigramWeight);
        w.Write(f.BigramWeight);
        w.Write(f.CharNgramWeight);
        w.Write(f.MaxTokens);
        w.Write(model.Intents.Count);
        foreach (var c in model.Intents) w.Write(c);
        w.Write(model.Temperature);
        foreach (var b in model.Bias) w.Write(b);
        w.Write(model.Rows.Length);
        var classCount = model.Intents.Count;
        for (var r = 0; r < model.Rows.Length; r++)
        {
            w.Write(model.Rows[r]);
            for (var j = 0; j < classCount; j++) w.Write(model.RowWeights[r * classCount + j]);
        }
    }

    public static IntentModel Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var r = new BinaryReader(stream, Encoding.UTF8, leaveOpen: true);
        try
        {
            var magic = Encoding.ASCII.GetString(r.ReadBytes(Magic.Length));
            if (magic != Magic) throw new InvalidDataException("Not a CcBot NLU model file.");
            var version = r.ReadInt32();
            if (version != FormatVersion) throw new InvalidDataException($"Unsupported NLU model format version {version} (expected {FormatVersion}).");
            var hash = r.ReadString();
            var features = new FeatureOptions
            {
                HashBits = r.ReadInt32(),
                MinCharNgram = r.ReadInt32(),
                MaxCharNgram = r.ReadInt32(),
                UnigramWeight = r.ReadSingle(),
                BigramWeight = r.ReadSingle(),
                CharNgramWeight = r.ReadSingle(),
                MaxTokens = r.ReadInt32(),
            };
            features.Validate();
            var classCount = r.ReadInt32();
            if (classCount is < 2 or > 1000) throw new InvalidDataException("Bad class count.");
            var classes = new string[classCount];
            for (var i = 0; i < classCount; i++) classes[i] = r.ReadString();
            var temperature = r.ReadDouble();
            var bias = new float[classCount];
            for (var j = 0; j < classCount; j++) bias[j] = r.ReadSingle();
            var rowCount = r.ReadInt32();
            if (rowCount < 0 || rowCount > features.Dimension) throw new InvalidDataException("Bad row count.");
            var rows = new int[rowCount];
            var weights = new float[rowCount * classCount];
            for (var i = 0; i < rowCount; i++)
            {
                rows[i] = r.ReadInt32();
                for (var j = 0; j < classCount; j++) weights[i * classCount + j] = r.ReadSingle();
            }
            return new IntentModel(features, classes, temperature, hash, rows, weights, bias);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("NLU model file is truncated.", e);
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException("NLU model file is corrupt: " + e.Message, e);
        }
    }
}
