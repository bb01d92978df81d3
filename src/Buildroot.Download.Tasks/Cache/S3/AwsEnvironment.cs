using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Cache.S3;

/// <summary>An access key pair, and the session token of temporary credentials. Never printed.</summary>
internal sealed record AwsCredentials(string AccessKeyId, string SecretAccessKey, string? SessionToken)
{
    public override string ToString() => "AwsCredentials { *** }";
}

/// <summary>
/// What an <c>s3://</c> cache needs from the standard AWS environment variables, read at build
/// time: the credentials (<c>AWS_ACCESS_KEY_ID</c>, <c>AWS_SECRET_ACCESS_KEY</c>,
/// <c>AWS_SESSION_TOKEN</c>; none at all means anonymous requests, for a public bucket), the
/// region (<c>AWS_REGION</c>, else <c>AWS_DEFAULT_REGION</c>, else us-east-1) and, for an
/// S3-compatible store, its endpoint (<c>AWS_ENDPOINT_URL_S3</c>, else <c>AWS_ENDPOINT_URL</c>),
/// addressed path-style (<c>endpoint/bucket/key</c>).
/// </summary>
internal sealed record AwsEnvironment(AwsCredentials? Credentials, string Region, Uri? Endpoint)
{
    public const string AccessKeyVariable = "AWS_ACCESS_KEY_ID";
    public const string SecretKeyVariable = "AWS_SECRET_ACCESS_KEY";
    public const string SessionTokenVariable = "AWS_SESSION_TOKEN";

    /// <summary>Throws <see cref="BrdlException"/> (<see cref="MessageCodes.AssetCacheCredentialMissing"/>) for a half-set key pair or a bad endpoint.</summary>
    public static AwsEnvironment Read(Func<string, string?> environment)
    {
        string? keyId = Value(environment, AccessKeyVariable);
        string? secret = Value(environment, SecretKeyVariable);
        if ((keyId is null) != (secret is null))
        {
            throw new BrdlException(
                FailureScope.Attempt,
                MessageCodes.AssetCacheCredentialMissing,
                $"{(keyId is null ? AccessKeyVariable : SecretKeyVariable)} is not set, but {(keyId is null ? SecretKeyVariable : AccessKeyVariable)} is: set both (or neither, for a public bucket).");
        }

        string region = Value(environment, "AWS_REGION") ?? Value(environment, "AWS_DEFAULT_REGION") ?? "us-east-1";
        string? endpointText = Value(environment, "AWS_ENDPOINT_URL_S3") ?? Value(environment, "AWS_ENDPOINT_URL");
        Uri? endpoint = null;
        if (endpointText is not null
            && (!Uri.TryCreate(endpointText, UriKind.Absolute, out endpoint) || endpoint.Scheme is not ("http" or "https") || endpoint.UserInfo.Length > 0))
        {
            throw new BrdlException(
                FailureScope.Attempt,
                MessageCodes.AssetCacheCredentialMissing,
                $"AWS_ENDPOINT_URL is '{SecretRedactor.Redact(endpointText)}', which is not an http(s) URL without credentials (e.g. https://s3.example.com:9000).");
        }

        AwsCredentials? credentials = keyId is null ? null : new AwsCredentials(keyId, secret!, Value(environment, SessionTokenVariable));
        return new AwsEnvironment(credentials, region, endpoint);
    }

    public override string ToString() => $"AwsEnvironment {{ Region = {Region}, Endpoint = {Endpoint}, Signed = {Credentials is not null} }}";

    private static string? Value(Func<string, string?> environment, string name) =>
        environment(name) is { Length: > 0 } value ? value.Trim() : null;
}
