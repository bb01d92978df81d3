using System.Text.RegularExpressions;
using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.Packages;

namespace Buildroot.Download.Tasks.Cache;

/// <summary>
/// Where a cache keeps an entry: a URL (<c>http</c>, <c>https</c>) or an S3 object
/// (<c>s3://bucket/key</c>) with the placeholders <c>{sha256}</c> (required: the cache is keyed
/// by content), <c>{file}</c> and <c>{package}</c>, allowed only in the path (or the S3 key), so a
/// file or package name can never change the host or the query. Substituted names are
/// percent-encoded (every byte but RFC 3986's unreserved <c>A-Z a-z 0-9 - . _ ~</c>), so a
/// <c>/</c>, <c>?</c>, <c>#</c> or <c>%</c> in a name stays inside its path segment.
/// </summary>
internal sealed partial class CacheUrlTemplate
{
    public const string Sha256Placeholder = "{sha256}";
    public const string FilePlaceholder = "{file}";
    public const string PackagePlaceholder = "{package}";

    private CacheUrlTemplate(string text, bool isS3, string? bucket, string pathTemplate)
    {
        Text = text;
        IsS3 = isS3;
        Bucket = bucket;
        PathTemplate = pathTemplate;
    }

    /// <summary>The template as declared (it holds no secret: credentials come from the environment).</summary>
    public string Text { get; }

    /// <summary>An <c>s3://</c> cache: requests are signed with AWS Signature Version 4.</summary>
    public bool IsS3 { get; }

    /// <summary>The S3 bucket, for an <c>s3://</c> cache.</summary>
    public string? Bucket { get; }

    /// <summary>For http(s): the whole URL with its placeholders; for s3: the object key with its placeholders.</summary>
    private string PathTemplate { get; }

    /// <summary>Checks <paramref name="text"/>; throws <see cref="BrdlException"/> (<see cref="MessageCodes.InvalidAssetCache"/>) saying what is wrong.</summary>
    public static CacheUrlTemplate Parse(string text)
    {
        string template = text.Trim();
        int schemeEnd = template.IndexOf("://", StringComparison.Ordinal);
        string scheme = schemeEnd > 0 ? template[..schemeEnd].ToLowerInvariant() : string.Empty;
        if (scheme is not ("http" or "https" or "s3"))
        {
            throw Invalid(template, "is not an http://, https:// or s3:// URL");
        }

        int authorityEnd = IndexOfAny(template, "/?#", schemeEnd + 3);
        string authority = template[(schemeEnd + 3)..authorityEnd];
        if (authority.Contains('@', StringComparison.Ordinal))
        {
            throw Invalid(template, "holds credentials before its host; give them from the environment instead (Headers=\"Authorization=env:NAME\", Query=\"env:NAME\", or the AWS_* variables for s3://)");
        }

        if (authority.Length == 0 || authority.Contains('{', StringComparison.Ordinal))
        {
            throw Invalid(template, "has no fixed host (placeholders may only appear in the path)");
        }

        if (template.Contains('#', StringComparison.Ordinal))
        {
            throw Invalid(template, "has a fragment ('#'), which is never sent to a server");
        }

        if (!string.Equals(SecretRedactor.Redact(template), template, StringComparison.Ordinal))
        {
            throw Invalid(template, "holds a credential (a signature or token) in its query; give the query from the environment instead (Query=\"env:NAME\")");
        }

        int queryStart = template.IndexOf('?', StringComparison.Ordinal);
        if (queryStart >= 0 && template.IndexOf('{', queryStart) >= 0)
        {
            throw Invalid(template, "has a placeholder in its query; placeholders may only appear in the path");
        }

        if (scheme == "s3")
        {
            return ParseS3(template, authority, authorityEnd);
        }

        CheckPlaceholders(template);

        string probe = Substitute(template, new string('0', 64), "file", "package");
        if (!Uri.TryCreate(probe, UriKind.Absolute, out _))
        {
            throw Invalid(template, "is not a valid URL");
        }

        return new CacheUrlTemplate(template, isS3: false, bucket: null, template);
    }

    /// <summary>
    /// For http(s): the URL of the entry (names percent-encoded). For s3: the object key (names as
    /// they are; <see cref="S3ObjectAddress"/> encodes the key for the wire).
    /// </summary>
    public string Expand(CacheEntry entry)
    {
        string sha256 = entry.Sha256 ?? throw new ArgumentException("An entry without a sha256 has no place in a cache.", nameof(entry));
        CheckName(entry.FileName, "file");
        CheckName(entry.Package, "package");
        return IsS3
            ? Substitute(PathTemplate, sha256, entry.FileName, entry.Package)
            : Substitute(PathTemplate, sha256, Uri.EscapeDataString(entry.FileName), Uri.EscapeDataString(entry.Package));
    }

    private static CacheUrlTemplate ParseS3(string template, string bucket, int authorityEnd)
    {
        if (!S3BucketName().IsMatch(bucket))
        {
            throw Invalid(template, $"names the bucket '{bucket}', which is not a valid bucket name");
        }

        if (template.IndexOf('?', authorityEnd) >= 0)
        {
            throw Invalid(template, "has a query; an s3:// cache is the bucket and the object key alone");
        }

        string key = authorityEnd < template.Length ? template[(authorityEnd + 1)..] : string.Empty;
        if (key.Length == 0)
        {
            throw Invalid(template, "has no object key (write s3://bucket/prefix/{sha256})");
        }

        CheckPlaceholders(template);
        return new CacheUrlTemplate(template, isS3: true, bucket, key);
    }

    private static void CheckPlaceholders(string template)
    {
        foreach (Match placeholder in Placeholder().Matches(template))
        {
            if (placeholder.Value is not (Sha256Placeholder or FilePlaceholder or PackagePlaceholder))
            {
                throw Invalid(template, $"has the unknown placeholder '{placeholder.Value}' (use {Sha256Placeholder}, {FilePlaceholder} and {PackagePlaceholder})");
            }
        }

        if (Placeholder().Replace(template, string.Empty).IndexOfAny(['{', '}']) >= 0)
        {
            throw Invalid(template, "has an unmatched '{' or '}'");
        }

        if (!template.Contains(Sha256Placeholder, StringComparison.Ordinal))
        {
            throw Invalid(template, $"has no {Sha256Placeholder}: the cache is keyed by content, so each entry's name must hold its sha256");
        }
    }

    private static void CheckName(string name, string what)
    {
        if (PlainNames.Problem(name) is { } problem)
        {
            throw new BrdlException(FailureScope.Build, MessageCodes.InvalidAssetCache, $"The {what} name '{name}' cannot be placed in an asset cache URL: it {problem}.");
        }
    }

    private static string Substitute(string template, string sha256, string file, string package) =>
        template
            .Replace(Sha256Placeholder, sha256, StringComparison.Ordinal)
            .Replace(FilePlaceholder, file, StringComparison.Ordinal)
            .Replace(PackagePlaceholder, package, StringComparison.Ordinal);

    private static int IndexOfAny(string text, string characters, int start)
    {
        int index = text.IndexOfAny(characters.ToCharArray(), start);
        return index < 0 ? text.Length : index;
    }

    /// <summary>The error for an invalid <c>BuildrootAssetCache</c> item: its template (any credential in it hidden) and what is wrong.</summary>
    public static BrdlException Invalid(string template, string problem) =>
        new(FailureScope.Build, MessageCodes.InvalidAssetCache, $"The BuildrootAssetCache '{SecretRedactor.Redact(template)}' {problem}.");

    [GeneratedRegex(@"\{[^{}]*\}")]
    private static partial Regex Placeholder();

    // Letters, digits, dots, hyphens (and the underscores of old us-east-1 buckets and some S3-compatible stores).
    [GeneratedRegex(@"\A[A-Za-z0-9][A-Za-z0-9._-]{0,254}\z")]
    private static partial Regex S3BucketName();
}
