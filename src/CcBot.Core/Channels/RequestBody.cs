using System.Buffers;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace CcBot.Core.Channels;

/// <summary>
/// Reads a webhook or Direct Line request body up to a limit. The buffer is rented and grown as the body arrives,
/// so a 300-byte activity costs a 300-byte array, not one sized for the largest body allowed (a 512 KB array per POST
/// was most of the web chat's CPU: zeroed on every request and collected from the large-object heap).
/// </summary>
public static class RequestBody
{
    private const int FirstChunk = 4096;

    /// <summary>The body's bytes, or null when it is longer than <paramref name="maxBytes"/> (declared or sent).</summary>
    public static async Task<byte[]?> ReadAsync(HttpRequest request, int maxBytes, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxBytes);
        if (request.ContentLength > maxBytes)
        {
            return null;
        }

        var size = request.ContentLength is { } declared ? (int)declared + 1 : FirstChunk;
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Min(size, maxBytes + 1));
        var read = 0;
        try
        {
            while (true)
            {
                if (read == buffer.Length)
                {
                    if (read > maxBytes)
                    {
                        return null;
                    }

                    var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(buffer.Length * 2L, maxBytes + 1L));
                    buffer.AsSpan(0, read).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var n = await request.Body.ReadAsync(buffer.AsMemory(read), ct).ConfigureAwait(false);
                if (n == 0)
                {
                    break;
                }

                read += n;
            }

            return read > maxBytes ? null : buffer.AsSpan(0, read).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// The body as UTF-8 bytes when it holds at most <paramref name="maxChars"/> characters (UTF-16 units, as the
    /// limit is documented); null when longer.
    /// </summary>
    public static async Task<byte[]?> ReadCharsAsync(HttpRequest request, int maxChars, CancellationToken ct)
    {
        var bytes = await ReadAsync(request, (int)Math.Min(maxChars * 4L, int.MaxValue - 1), ct).ConfigureAwait(false);
        return bytes is null || (bytes.Length > maxChars && Encoding.UTF8.GetCharCount(bytes) > maxChars) ? null : bytes;
    }
}
