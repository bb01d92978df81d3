using System.Text.Json.Nodes;

namespace Buildroot.Download.Tasks.Release;

/// <summary>
/// A Buildroot license string (<c>FOO_LICENSE</c>: licenses separated by commas, each an SPDX
/// identifier, maybe with a scope in parentheses, or a free name) as CycloneDX <c>licenses</c>.
/// <list type="bullet">
/// <item>One entry per comma-separated part, as Buildroot's <c>utils/generate-cyclonedx</c> makes
/// them: <c>{"license":{"id":…}}</c> for an SPDX identifier, <c>{"license":{"name":…}}</c> otherwise.</item>
/// <item>A part that is an identifier with a scope (<c>LGPL-2.1+ (libraries)</c>) gets the identifier,
/// the part as written kept in a <c>buildroot:license</c> property of the license.</item>
/// <item>When every part is made of identifiers and one joins them with <c>or</c>/<c>and</c>
/// (<c>Apache-2.0 or MIT</c>), the whole string becomes one SPDX expression
/// (<c>Apache-2.0 OR MIT</c>; parts joined with <c>AND</c>), since CycloneDX cannot mix a list with an
/// expression. Scopes then live only in the component's <c>buildroot:license</c> property.</item>
/// </list>
/// </summary>
internal static class CycloneDxLicenses
{
    public const string OriginalTextProperty = "buildroot:license";

    /// <summary>The <c>licenses</c> array for <paramref name="buildrootLicense"/>; null when there is no license.</summary>
    public static JsonArray? From(string? buildrootLicense)
    {
        string[] parts = SplitTopLevelCommas(buildrootLicense ?? string.Empty)
            .Select(part => part.Trim())
            .Where(part => part.Length > 0)
            .ToArray();
        if (parts.Length == 0)
        {
            return null;
        }

        SpdxTerm?[] terms = parts.Select(Parse).ToArray();
        if (terms.All(term => term is not null) && terms.Any(term => term!.SingleId is null))
        {
            string expression = string.Join(" AND ", terms.Select(term => terms.Length > 1 && term!.IsCompound ? $"({term.Expression})" : term!.Expression));
            return [new JsonObject { ["expression"] = expression }];
        }

        var licenses = new JsonArray();
        for (int i = 0; i < parts.Length; i++)
        {
            licenses.Add(new JsonObject { ["license"] = terms[i]?.SingleId is { } id ? Identifier(id, parts[i]) : new JsonObject { ["name"] = parts[i] } });
        }

        return licenses;
    }

    /// <summary>Buildroot's split: commas inside parentheses do not separate licenses.</summary>
    public static IEnumerable<string> SplitTopLevelCommas(string text)
    {
        int depth = 0;
        int start = 0;
        for (int i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    break;
                case ',' when depth == 0:
                    yield return text[start..i];
                    start = i + 1;
                    break;
            }
        }

        yield return text[start..];
    }

    private static JsonObject Identifier(string id, string written)
    {
        var license = new JsonObject { ["id"] = id };
        if (written != id)
        {
            license["properties"] = new JsonArray(new JsonObject { ["name"] = OriginalTextProperty, ["value"] = written });
        }

        return license;
    }

    /// <summary>
    /// One part as SPDX: its scope dropped, then identifiers joined by <c>or</c>/<c>and</c> (any
    /// case); an identifier may end with <c>+</c> ("or later"). Null when it is not that.
    /// </summary>
    private static SpdxTerm? Parse(string part)
    {
        string core = WithoutScope(part);
        string[] tokens = core.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (tokens.Length == 0 || tokens.Length % 2 == 0)
        {
            return null;
        }

        var expression = new List<string>(tokens.Length);
        for (int i = 0; i < tokens.Length; i++)
        {
            string? token = i % 2 == 0 ? Identifier(tokens[i]) : Operator(tokens[i]);
            if (token is null)
            {
                return null;
            }

            expression.Add(token);
        }

        string? singleId = tokens.Length == 1 ? SpdxLicenseIds.Find(tokens[0]) : null;
        return new SpdxTerm(string.Join(' ', expression), singleId, IsCompound: tokens.Length > 1);
    }

    /// <summary>An identifier of the list, or one of them followed by <c>+</c> (valid in an expression only).</summary>
    private static string? Identifier(string token) =>
        SpdxLicenseIds.Find(token)
        ?? (token.Length > 1 && token[^1] == '+' && SpdxLicenseIds.Find(token[..^1]) is { } id ? id + "+" : null);

    private static string? Operator(string token) =>
        token.Equals("or", StringComparison.OrdinalIgnoreCase) ? "OR"
        : token.Equals("and", StringComparison.OrdinalIgnoreCase) ? "AND"
        : null;

    /// <summary><c>LGPL-2.1+ (libraries)</c> without <c>(libraries)</c>: a last parenthesized group, with no parentheses before it.</summary>
    private static string WithoutScope(string part)
    {
        int open = part.IndexOf('(', StringComparison.Ordinal);
        return part.EndsWith(')') && open > 0 && open == part.LastIndexOf('(') && part.IndexOf(')', StringComparison.Ordinal) == part.Length - 1
            ? part[..open].TrimEnd()
            : part;
    }

    /// <param name="Expression">The part as an SPDX expression.</param>
    /// <param name="SingleId">The identifier, when the part is exactly one identifier of the list.</param>
    /// <param name="IsCompound">True when it joins several identifiers.</param>
    private sealed record SpdxTerm(string Expression, string? SingleId, bool IsCompound);
}
