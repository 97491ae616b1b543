using System.IO.Compression;
using System.Text.Json;

namespace CcBot.Nlu;

/// <summary>What the classifier needs beside ML.NET's model: stored as <c>CcBot/intent-model.json</c> inside the model zip.</summary>
internal sealed record IntentModelMetadata(
    int Format,
    string TrainingDataHash,
    string Trainer,
    FeatureOptions Features,
    string[] Classes,
    double Temperature,
    int[] FeatureMap);

/// <summary>
/// The model file: the zip ML.NET's <c>MLContext.Model.Save</c> writes (loadable with <c>MLContext.Model.Load</c>,
/// which ignores entries it does not know), plus one entry with <see cref="IntentModelMetadata"/>: the training-data hash
/// (so an unchanged <c>train.tsv</c> is not retrained at start), the feature settings, the class names in key order,
/// the softmax temperature and the map from hash buckets to the model's compact feature slots.
/// </summary>
internal static class IntentModelPackage
{
    public const int FormatVersion = 2;
    public const string MetadataEntry = "CcBot/intent-model.json";

    private static readonly DateTimeOffset FixedEntryTime = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static byte[] Pack(byte[] mlNetModel, IntentModelMetadata metadata)
    {
        using var buffer = new MemoryStream();
        buffer.Write(mlNetModel);
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Update, leaveOpen: true))
        {
            var entry = zip.CreateEntry(MetadataEntry, CompressionLevel.Optimal);
            entry.LastWriteTime = FixedEntryTime;
            using var stream = entry.Open();
            JsonSerializer.Serialize(stream, metadata);
        }
        return buffer.ToArray();
    }

    public static IntentModel Read(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        byte[] bytes;
        using (var copy = new MemoryStream())
        {
            stream.CopyTo(copy);
            bytes = copy.ToArray();
        }
        try
        {
            IntentModelMetadata metadata;
            using (var zip = new ZipArchive(new MemoryStream(bytes, writable: false), ZipArchiveMode.Read))
            {
                var entry = zip.GetEntry(MetadataEntry) ?? throw new InvalidDataException($"Not a CcBot intent model: the zip has no {MetadataEntry}.");
                using var json = entry.Open();
                metadata = JsonSerializer.Deserialize<IntentModelMetadata>(json) ?? throw new InvalidDataException("Empty model metadata.");
            }
            if (metadata.Format != FormatVersion) throw new InvalidDataException($"Unsupported intent model format {metadata.Format} (expected {FormatVersion}).");
            if (metadata.Classes is not { Length: >= 2 and <= 1000 }) throw new InvalidDataException("Bad class list in the model metadata.");
            if (metadata.FeatureMap is null || metadata.Features is null || string.IsNullOrEmpty(metadata.TrainingDataHash))
            {
                throw new InvalidDataException("Incomplete model metadata.");
            }
            metadata.Features.Validate();
            for (var i = 0; i < metadata.FeatureMap.Length; i++)
            {
                if ((uint)metadata.FeatureMap[i] >= (uint)metadata.Features.Dimension || (i > 0 && metadata.FeatureMap[i] <= metadata.FeatureMap[i - 1]))
                {
                    throw new InvalidDataException("The model's feature map is not a sorted list of buckets.");
                }
            }
            var (weights, bias) = MlNetSoftmax.Load(new MemoryStream(bytes, writable: false), metadata.Classes.Length, metadata.FeatureMap.Length);
            return new IntentModel(metadata.Features, metadata.Classes, metadata.Temperature, metadata.TrainingDataHash,
                metadata.FeatureMap, weights, bias, bytes, metadata.Trainer);
        }
        catch (Exception e) when (e is JsonException or ArgumentException or EndOfStreamException or FormatException or InvalidOperationException or NotSupportedException)
        {
            throw new InvalidDataException("The intent model file is corrupt: " + e.Message, e);
        }
    }
}
