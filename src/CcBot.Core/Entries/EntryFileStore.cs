using System.Security.Cryptography;

namespace CcBot.Core.Entries;

/// <summary>A stored file whose content no longer matches its checksum.</summary>
public sealed class ChecksumMismatchException(string hash, string actual)
    : IOException($"Entry file {hash} is corrupted: its content hashes to {actual}.")
{
    public string Hash { get; } = hash;
}

/// <summary>Content-addressed entry files under <c>{DataFolder}/entries/&lt;sha256&gt;</c>; every read verifies the checksum.</summary>
public sealed class EntryFileStore(string folder)
{
    public string Folder { get; } = folder;

    public string PathOf(string hash) => Path.Combine(Folder, hash);

    /// <summary>Stores the bytes (idempotent) and returns their SHA-256 (lower-case hex).</summary>
    public async Task<string> SaveAsync(byte[] content, CancellationToken cancellationToken)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(content));
        var path = PathOf(hash);
        if (File.Exists(path) && Hash(await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false)) == hash)
        {
            return hash;
        }

        Directory.CreateDirectory(Folder);
        var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        await File.WriteAllBytesAsync(temp, content, cancellationToken).ConfigureAwait(false);
        File.Move(temp, path, overwrite: true);
        return hash;
    }

    /// <summary>The file's bytes; throws <see cref="ChecksumMismatchException"/> when they do not hash to <paramref name="hash"/>.</summary>
    public async Task<byte[]> ReadAsync(string hash, CancellationToken cancellationToken)
    {
        var bytes = await File.ReadAllBytesAsync(PathOf(hash), cancellationToken).ConfigureAwait(false);
        var actual = Hash(bytes);
        return actual == hash ? bytes : throw new ChecksumMismatchException(hash, actual);
    }

    /// <summary>Null when the file is intact, else why not ("missing" or "checksum mismatch").</summary>
    public async Task<string?> VerifyAsync(string hash, CancellationToken cancellationToken)
    {
        if (!File.Exists(PathOf(hash)))
        {
            return "missing";
        }

        try
        {
            await ReadAsync(hash, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (ChecksumMismatchException)
        {
            return "checksum mismatch";
        }
    }

    private static string Hash(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
