using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;

namespace McpGateway.Policy;

/// <summary>The outcome of <see cref="PolicyParser.Parse(ReadOnlySpan{byte})"/>: a document, or every problem found.</summary>
internal sealed record PolicyParseResult(PolicyDocument? Document, ImmutableArray<PolicyProblem> Problems)
{
    [MemberNotNullWhen(true, nameof(Document))]
    public bool IsValid => Document is not null;
}
