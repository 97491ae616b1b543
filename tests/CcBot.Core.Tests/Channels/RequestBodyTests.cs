using System.Text;
using CcBot.Core.Channels;
using Microsoft.AspNetCore.Http;

namespace CcBot.Core.Tests.Channels;

public class RequestBodyTests
{
    /// <summary>A body that arrives a few bytes per read, as a chunked upload over a slow link does.</summary>
    private sealed class TrickleStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);
    }

    private static HttpRequest Request(byte[] body, bool declareLength, int chunk = int.MaxValue)
    {
        var context = new DefaultHttpContext();
        context.Request.Body = new TrickleStream(body, chunk);
        if (declareLength)
        {
            context.Request.ContentLength = body.Length;
        }

        return context.Request;
    }

    [Theory]
    [InlineData(true, int.MaxValue)]
    [InlineData(false, int.MaxValue)]
    [InlineData(false, 7)]
    public async Task A_body_at_the_limit_is_read_whole_and_one_byte_more_is_refused(bool declareLength, int chunk)
    {
        var limit = 10_000;
        var exact = Enumerable.Range(0, limit).Select(i => (byte)('a' + (i % 26))).ToArray();

        var read = await RequestBody.ReadAsync(Request(exact, declareLength, chunk), limit, CancellationToken.None);
        var over = await RequestBody.ReadAsync(Request([.. exact, (byte)'z'], declareLength, chunk), limit, CancellationToken.None);

        read.Should().Equal(exact);
        over.Should().BeNull();
    }

    [Fact]
    public async Task A_declared_length_over_the_limit_is_refused_before_reading()
    {
        var context = new DefaultHttpContext();
        var body = new MemoryStream(new byte[100]);
        context.Request.Body = body;
        context.Request.ContentLength = 1_000_000;

        (await RequestBody.ReadAsync(context.Request, 1000, CancellationToken.None)).Should().BeNull();
        body.Position.Should().Be(0);
    }

    [Fact]
    public async Task An_empty_body_is_an_empty_array()
    {
        (await RequestBody.ReadAsync(Request([], declareLength: false), 100, CancellationToken.None)).Should().BeEmpty();
    }

    [Fact]
    public async Task The_character_limit_counts_characters_not_bytes()
    {
        // "ệ" is 3 bytes in UTF-8 and one character: 100 of them fit a 100-character limit, 101 do not.
        var hundred = Encoding.UTF8.GetBytes(new string('ệ', 100));
        var hundredOne = Encoding.UTF8.GetBytes(new string('ệ', 101));

        (await RequestBody.ReadCharsAsync(Request(hundred, declareLength: false, chunk: 5), 100, CancellationToken.None)).Should().Equal(hundred);
        (await RequestBody.ReadCharsAsync(Request(hundredOne, declareLength: true), 100, CancellationToken.None)).Should().BeNull();
        (await RequestBody.ReadCharsAsync(Request(new byte[401], declareLength: false), 100, CancellationToken.None)).Should().BeNull();
    }
}
