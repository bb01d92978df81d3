using Buildroot.Download.Tasks.Cache.S3;
using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Cache;

/// <summary>
/// One cache as this build reaches it: its declaration with the credentials read from the
/// environment, and for each entry the URL and the headers of the requests. Made once per
/// build run (<see cref="Resolve"/>), so a missing variable is reported once.
/// </summary>
internal abstract class CacheEndpoint(AssetCacheLocation location)
{
    public AssetCacheLocation Location { get; } = location;

    /// <summary>
    /// Reads what <paramref name="location"/> needs from <paramref name="environment"/>; throws
    /// <see cref="BrdlException"/> (<see cref="MessageCodes.AssetCacheCredentialMissing"/>) when a
    /// variable it names is unset. The message names the variable, never a value.
    /// </summary>
    public static CacheEndpoint Resolve(AssetCacheLocation location, Func<string, string?> environment, Func<DateTimeOffset> clock)
    {
        if (location.Template.IsS3)
        {
            try
            {
                return new S3CacheEndpoint(location, AwsEnvironment.Read(environment), clock);
            }
            catch (BrdlException e)
            {
                throw new BrdlException(FailureScope.Attempt, e.Code, $"{location.Name} is skipped: {e.Message}");
            }
        }

        var headers = location.Headers
            .Select(header => new KeyValuePair<string, string>(header.Name, Required(environment, header.Variable, location, $"the header {header.Name}")))
            .ToArray();
        string? query = location.QueryVariable is { } variable
            ? Required(environment, variable, location, "its Query").TrimStart('?')
            : null;
        return new HttpCacheEndpoint(location, headers, query);
    }

    /// <summary>The URL an entry is requested at (it may hold a secret query: print <see cref="Display"/> instead).</summary>
    public abstract Uri UrlOf(CacheEntry entry);

    /// <summary>The entry's URL with any secret left out: for messages and show-info.</summary>
    public abstract string Display(CacheEntry entry);

    /// <summary>Adds a lookup's headers (credentials, a signature made now).</summary>
    public abstract void PrepareGet(HttpRequestMessage request);

    /// <summary>Adds an upload's headers. The entry's sha256 is its content's: the file passed its hashes.</summary>
    public abstract void PreparePut(HttpRequestMessage request, CacheEntry entry);

    private static string Required(Func<string, string?> environment, string variable, AssetCacheLocation location, string what) =>
        environment(variable) is { Length: > 0 } value
            ? value.Trim()
            : throw new BrdlException(
                FailureScope.Attempt,
                MessageCodes.AssetCacheCredentialMissing,
                $"{location.Name} is skipped: the environment variable {variable}, which gives {what}, is not set. Set it in the build's environment (a CI secret).");
}

/// <summary>
/// An http(s) cache: nginx with WebDAV, Artifactory, Azure Blob Storage with a SAS token in
/// <c>Query</c>, … Uploads are a plain <c>PUT</c> of the bytes, with <c>x-ms-blob-type: BlockBlob</c>,
/// which Azure requires and other servers ignore.
/// </summary>
internal sealed class HttpCacheEndpoint(AssetCacheLocation location, IReadOnlyList<KeyValuePair<string, string>> headers, string? query)
    : CacheEndpoint(location)
{
    public override Uri UrlOf(CacheEntry entry) => new(WithQuery(Location.Template.Expand(entry), query));

    public override string Display(CacheEntry entry) => WithQuery(Location.Template.Expand(entry), query is null ? null : "***");

    public override void PrepareGet(HttpRequestMessage request) => AddHeaders(request);

    public override void PreparePut(HttpRequestMessage request, CacheEntry entry)
    {
        AddHeaders(request);
        request.Headers.TryAddWithoutValidation("x-ms-blob-type", "BlockBlob");
    }

    private static string WithQuery(string url, string? query) =>
        string.IsNullOrEmpty(query) ? url : url + (url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + query;

    private void AddHeaders(HttpRequestMessage request)
    {
        foreach ((string name, string value) in headers)
        {
            request.Headers.Remove(name);
            request.Headers.TryAddWithoutValidation(name, value);
        }
    }
}

/// <summary>
/// An <c>s3://</c> cache, on AWS or an S3-compatible store, signed with AWS Signature Version 4
/// (anonymous when no key pair is set). An upload signs its payload with the file's sha256,
/// which is already known (the file passed its hashes): the store then refuses a body that
/// arrived damaged, at no extra read of the file (<c>UNSIGNED-PAYLOAD</c> would accept it).
/// </summary>
internal sealed class S3CacheEndpoint(AssetCacheLocation location, AwsEnvironment aws, Func<DateTimeOffset> clock)
    : CacheEndpoint(location)
{
    private const string ContentSha256Header = "x-amz-content-sha256";

    public override Uri UrlOf(CacheEntry entry) => S3ObjectAddress.For(Location.Template.Bucket!, Location.Template.Expand(entry), aws);

    public override string Display(CacheEntry entry) => UrlOf(entry).AbsoluteUri;

    public override void PrepareGet(HttpRequestMessage request) => Sign(request, AwsSigV4Signer.EmptyPayloadSha256);

    public override void PreparePut(HttpRequestMessage request, CacheEntry entry) =>
        Sign(request, entry.Sha256 ?? throw new ArgumentException("An entry without a sha256 is never stored.", nameof(entry)));

    private void Sign(HttpRequestMessage request, string payloadSha256)
    {
        if (aws.Credentials is not { } credentials)
        {
            return;
        }

        KeyValuePair<string, string>[] headers = [new(ContentSha256Header, payloadSha256)];
        AwsSignature signature = AwsSigV4Signer.Sign(request.Method.Method, request.RequestUri!, headers, payloadSha256, clock(), aws.Region, "s3", credentials);
        request.Headers.TryAddWithoutValidation(ContentSha256Header, payloadSha256);
        request.Headers.TryAddWithoutValidation("x-amz-date", signature.AmzDate);
        if (credentials.SessionToken is { } token)
        {
            request.Headers.TryAddWithoutValidation("x-amz-security-token", token);
        }

        request.Headers.TryAddWithoutValidation("Authorization", signature.Authorization);
    }
}
