using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Buildroot.Download.Tasks.Cache.S3;

/// <summary>The parts of one AWS Signature Version 4 signature (the intermediate ones for tests and diagnostics).</summary>
/// <param name="AmzDate">The <c>x-amz-date</c> value (<c>20130524T000000Z</c>).</param>
/// <param name="CanonicalRequest">The canonical request that was hashed.</param>
/// <param name="StringToSign">Algorithm, time, scope and the canonical request's hash.</param>
/// <param name="SignedHeaders">The lower-case header names signed, <c>;</c>-separated.</param>
/// <param name="Signature">The signature, 64 lower-case hex digits.</param>
/// <param name="Authorization">The <c>Authorization</c> header value.</param>
internal sealed record AwsSignature(
    string AmzDate,
    string CanonicalRequest,
    string StringToSign,
    string SignedHeaders,
    string Signature,
    string Authorization);

/// <summary>
/// AWS Signature Version 4 (<c>AWS4-HMAC-SHA256</c>) in the Authorization header, written from
/// AWS's description of the algorithm. The canonical URI is the request's path exactly as sent:
/// S3's rule (the path is encoded once, never normalized); the caller builds it encoded
/// (<see cref="S3ObjectAddress"/>). The signer adds <c>host</c>, <c>x-amz-date</c> and, with
/// temporary credentials, <c>x-amz-security-token</c> to the headers it signs.
/// </summary>
internal static class AwsSigV4Signer
{
    public const string Algorithm = "AWS4-HMAC-SHA256";

    /// <summary>The sha256 of an empty payload (a GET's body).</summary>
    public const string EmptyPayloadSha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    /// <param name="method">GET, PUT, …</param>
    /// <param name="uri">The request URL (path already percent-encoded as it goes on the wire).</param>
    /// <param name="headers">Further headers to sign, as they will be sent (e.g. <c>x-amz-content-sha256</c>, <c>range</c>).</param>
    /// <param name="payloadHash">The body's sha256 in hex, or <c>UNSIGNED-PAYLOAD</c>.</param>
    /// <param name="time">The signing time (UTC).</param>
    /// <param name="region">us-east-1, …</param>
    /// <param name="service">s3, …</param>
    /// <param name="credentials">Who signs.</param>
    public static AwsSignature Sign(
        string method,
        Uri uri,
        IEnumerable<KeyValuePair<string, string>> headers,
        string payloadHash,
        DateTimeOffset time,
        string region,
        string service,
        AwsCredentials credentials)
    {
        string amzDate = time.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        string date = amzDate[..8];

        var signed = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach ((string name, string value) in headers)
        {
            Add(signed, name, value);
        }

        Add(signed, "host", uri.IsDefaultPort ? uri.IdnHost : $"{uri.IdnHost}:{uri.Port.ToString(CultureInfo.InvariantCulture)}");
        Add(signed, "x-amz-date", amzDate);
        if (credentials.SessionToken is { } token)
        {
            Add(signed, "x-amz-security-token", token);
        }

        string signedHeaders = string.Join(';', signed.Keys);
        string canonicalRequest = string.Join(
            '\n',
            method.ToUpperInvariant(),
            uri.AbsolutePath.Length == 0 ? "/" : uri.AbsolutePath,
            CanonicalQuery(uri.Query),
            string.Concat(signed.Select(header => $"{header.Key}:{header.Value}\n")),
            signedHeaders,
            payloadHash);

        string scope = $"{date}/{region}/{service}/aws4_request";
        string stringToSign = string.Join('\n', Algorithm, amzDate, scope, Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest))));

        byte[] key = Hmac(Encoding.UTF8.GetBytes("AWS4" + credentials.SecretAccessKey), date);
        key = Hmac(key, region);
        key = Hmac(key, service);
        key = Hmac(key, "aws4_request");
        string signature = Hex(Hmac(key, stringToSign));

        return new AwsSignature(
            amzDate,
            canonicalRequest,
            stringToSign,
            signedHeaders,
            signature,
            $"{Algorithm} Credential={credentials.AccessKeyId}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}");
    }

    /// <summary>
    /// The query's parameters, each name and value decoded then percent-encoded (RFC 3986
    /// unreserved characters kept), sorted by name then value; <c>name=</c> for an empty value.
    /// </summary>
    public static string CanonicalQuery(string query)
    {
        string trimmed = query.StartsWith('?') ? query[1..] : query;
        if (trimmed.Length == 0)
        {
            return string.Empty;
        }

        return string.Join(
            '&',
            trimmed.Split('&', StringSplitOptions.RemoveEmptyEntries)
                .Select(parameter =>
                {
                    int equals = parameter.IndexOf('=', StringComparison.Ordinal);
                    string name = equals < 0 ? parameter : parameter[..equals];
                    string value = equals < 0 ? string.Empty : parameter[(equals + 1)..];
                    return (Name: S3ObjectAddress.PercentEncode(Uri.UnescapeDataString(name), keepSlash: false), Value: S3ObjectAddress.PercentEncode(Uri.UnescapeDataString(value), keepSlash: false));
                })
                .OrderBy(parameter => parameter.Name, StringComparer.Ordinal)
                .ThenBy(parameter => parameter.Value, StringComparer.Ordinal)
                .Select(parameter => $"{parameter.Name}={parameter.Value}"));
    }

    private static void Add(SortedDictionary<string, string> headers, string name, string value)
    {
        string key = name.Trim().ToLowerInvariant();
        string canonical = CollapseSpaces(value.Trim());
        headers[key] = headers.TryGetValue(key, out string? earlier) ? $"{earlier},{canonical}" : canonical;
    }

    private static string CollapseSpaces(string value)
    {
        var collapsed = new StringBuilder(value.Length);
        foreach (char c in value)
        {
            if (c != ' ' || collapsed.Length == 0 || collapsed[^1] != ' ')
            {
                collapsed.Append(c);
            }
        }

        return collapsed.ToString();
    }

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static string Hex(byte[] bytes) => Convert.ToHexString(bytes).ToLowerInvariant();
}
