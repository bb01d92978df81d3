using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.Packages;

namespace Buildroot.Download.Tasks.Cache;

/// <summary>
/// A request header an http(s) cache needs, its value read from an environment variable at
/// build time (<c>Authorization=env:ASSET_CACHE_TOKEN</c>): a credential never sits in a project
/// file, in MSBuild's evaluation or in a binary log; only the variable's name does.
/// </summary>
internal sealed partial record CacheHeader(string Name, string Variable)
{
    /// <summary>Headers the HTTP client sets itself, or that would change how the body is framed.</summary>
    private static readonly string[] Reserved = ["Host", "Content-Length", "Transfer-Encoding", "Connection", "Expect", "Upgrade", "TE", "Trailer"];

    /// <summary>Parses the <c>Headers</c> metadata: <c>Name=env:VAR</c> entries separated by <c>;</c>.</summary>
    public static ImmutableArray<CacheHeader> ParseList(string? value, string cache)
    {
        var headers = ImmutableArray.CreateBuilder<CacheHeader>();
        foreach (string entry in MetadataValues.SplitList(value))
        {
            int equals = entry.IndexOf('=', StringComparison.Ordinal);
            string name = equals > 0 ? entry[..equals].Trim() : entry;
            string source = equals > 0 ? entry[(equals + 1)..].Trim() : string.Empty;
            if (equals <= 0 || !HeaderName().IsMatch(name))
            {
                throw CacheUrlTemplate.Invalid(cache, $"has the header entry '{entry}', which is not Name=env:VARIABLE");
            }

            if (Reserved.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                throw CacheUrlTemplate.Invalid(cache, $"sets the header '{name}', which the HTTP client sets itself");
            }

            if (headers.Any(header => header.Name.Equals(name, StringComparison.OrdinalIgnoreCase)))
            {
                throw CacheUrlTemplate.Invalid(cache, $"sets the header '{name}' twice");
            }

            headers.Add(new CacheHeader(name, ParseVariable(source, cache, $"the header '{name}'")));
        }

        return headers.ToImmutable();
    }

    /// <summary>
    /// The variable named by an <c>env:NAME</c> value. Anything else is refused: a literal value
    /// would put a credential in the project file.
    /// </summary>
    public static string ParseVariable(string source, string cache, string what)
    {
        const string Prefix = "env:";
        string variable = source.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) ? source[Prefix.Length..].Trim() : string.Empty;
        if (!VariableName().IsMatch(variable))
        {
            throw CacheUrlTemplate.Invalid(cache, $"gives {what} as '{(source.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) ? source : "a literal value")}'; write env:VARIABLE_NAME, and put the value (a credential) in that environment variable");
        }

        return variable;
    }

    // RFC 9110 token characters.
    [GeneratedRegex(@"\A[!#$%&'*+\-.^_`|~0-9A-Za-z]+\z")]
    private static partial Regex HeaderName();

    [GeneratedRegex(@"\A[A-Za-z_][A-Za-z0-9_]*\z")]
    private static partial Regex VariableName();
}
