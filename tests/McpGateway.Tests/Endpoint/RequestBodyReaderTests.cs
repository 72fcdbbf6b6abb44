using System.IO.Pipelines;
using McpGateway.Endpoint;
using Microsoft.AspNetCore.Http;

namespace McpGateway.Tests.Endpoint;

/// <summary>
/// The request body arrives in pieces: with a declared length it is awaited whole (issue 8), without one until
/// the body ends; either way the limit holds.
/// </summary>
public sealed class RequestBodyReaderTests
{
    private static readonly byte[] Body = Encoding.UTF8.GetBytes(new string('x', 10_000));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ReadAsync_BodyArrivingInPieces_ReadWhole(bool declared)
    {
        var pipe = new Pipe();
        var context = Context(pipe, declared ? Body.Length : null);
        var reading = RequestBodyReader.ReadAsync(context.Request, 1_000_000, CancellationToken.None).AsTask();

        foreach (var piece in Body.Chunk(4096))
        {
            Assert.False(reading.IsCompleted);
            await pipe.Writer.WriteAsync(piece);
            await Task.Yield();
        }

        if (!declared)
        {
            await pipe.Writer.CompleteAsync();
        }

        var (error, body) = await reading.WaitAsync(TimeSpan.FromSeconds(10));
        using (body)
        {
            Assert.Equal(GatewayError.None, error);
            Assert.Equal(Body, body!.WrittenSpan.ToArray());
        }
    }

    [Fact]
    public async Task ReadAsync_DeclaredLengthOverTheLimit_RefusedBeforeAByteIsRead()
    {
        var pipe = new Pipe();
        var (error, body) = await RequestBodyReader.ReadAsync(Context(pipe, 2_000).Request, 1_000, CancellationToken.None);

        Assert.Equal(GatewayError.PayloadTooLarge, error);
        Assert.Null(body);
    }

    [Fact]
    public async Task ReadAsync_UndeclaredLengthOverTheLimit_RefusedOnceItPassesTheLimit()
    {
        var pipe = new Pipe();
        var reading = RequestBodyReader.ReadAsync(Context(pipe, null).Request, 5_000, CancellationToken.None).AsTask();
        await pipe.Writer.WriteAsync(Body);

        var (error, body) = await reading.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(GatewayError.PayloadTooLarge, error);
        Assert.Null(body);
    }

    private static DefaultHttpContext Context(Pipe pipe, long? contentLength)
    {
        var context = new DefaultHttpContext();
        context.Request.Body = pipe.Reader.AsStream();
        context.Request.ContentLength = contentLength;
        return context;
    }
}
