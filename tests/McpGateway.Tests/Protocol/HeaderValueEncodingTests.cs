using McpGateway.Protocol;

namespace McpGateway.Tests.Protocol;

/// <summary>The <c>=?base64?...?=</c> form of a standard header's value (2026-07-28, "Value Encoding").</summary>
public sealed class HeaderValueEncodingTests
{
    [Theory]
    [InlineData("echo", "echo")]
    [InlineData("file:///a.txt", "file:///a.txt")]
    [InlineData("tâche 7", "=?base64?dMOiY2hlIDc=?=")]
    [InlineData("two words", "=?base64?dHdvIHdvcmRz?=")]
    [InlineData("", "=?base64??=")]
    [InlineData("=?base64?abc?=", "=?base64?PT9iYXNlNjQ/YWJjPz0=?=")] // a plain value that looks encoded is encoded
    public void Encode_Value_PlainOnlyWhenVisibleAsciiNotLookingEncodedAndDecodesBack(string value, string header)
    {
        Assert.Equal(header, HeaderValueEncoding.Encode(value));
        Assert.True(HeaderValueEncoding.TryDecode(header, out var decoded));
        Assert.Equal(value, decoded);
    }

    [Theory]
    [InlineData("=?BASE64?ZWNobw==?=")] // the markers are lower case
    [InlineData("=?base64?=")] // too short to hold both markers
    public void TryDecode_NotInTheEncodedForm_IsThePlainValue(string header)
    {
        Assert.True(HeaderValueEncoding.TryDecode(header, out var decoded));
        Assert.Equal(header, decoded);
    }

    [Theory]
    [InlineData("=?base64?not base64?=")]
    [InlineData("=?base64?ZWNobw?=")] // unpadded
    [InlineData("=?base64?ZW Nobw==?=")] // whitespace, which Convert would skip
    [InlineData("=?base64?/w==?=")] // 0xFF: not UTF-8
    [InlineData("=?base64?7aCA?=")] // a lone surrogate's UTF-8 bytes
    public void TryDecode_EncodedButNotBase64OfUtf8_Fails(string header)
    {
        Assert.False(HeaderValueEncoding.TryDecode(header, out var decoded));
        Assert.Null(decoded);
    }
}
