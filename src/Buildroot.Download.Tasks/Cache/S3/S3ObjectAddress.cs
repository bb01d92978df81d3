using System.Text;

namespace Buildroot.Download.Tasks.Cache.S3;

/// <summary>
/// The https URL of an S3 object. With an endpoint (an S3-compatible store): path-style,
/// <c>endpoint/bucket/key</c>. On AWS: virtual-hosted, <c>https://bucket.s3.region.amazonaws.com/key</c>
/// (path-style on AWS itself for a bucket name with dots, which no wildcard certificate covers).
/// The key is percent-encoded once, segment by segment, as S3 signs it.
/// </summary>
internal static class S3ObjectAddress
{
    public static Uri For(string bucket, string key, AwsEnvironment aws)
    {
        string encodedKey = EncodeKey(key);
        if (aws.Endpoint is { } endpoint)
        {
            return new Uri($"{endpoint.GetLeftPart(UriPartial.Path).TrimEnd('/')}/{bucket}/{encodedKey}");
        }

        return bucket.Contains('.', StringComparison.Ordinal)
            ? new Uri($"https://s3.{aws.Region}.amazonaws.com/{bucket}/{encodedKey}")
            : new Uri($"https://{bucket}.s3.{aws.Region}.amazonaws.com/{encodedKey}");
    }

    /// <summary>The key as S3 signs and serves it: each segment percent-encoded once, <c>/</c> kept.</summary>
    public static string EncodeKey(string key) => PercentEncode(key, keepSlash: true);

    /// <summary>Each byte of the UTF-8 text but RFC 3986's unreserved characters (and <c>/</c> if kept) as <c>%XX</c>.</summary>
    public static string PercentEncode(string text, bool keepSlash)
    {
        var encoded = new StringBuilder(text.Length);
        foreach (byte b in Encoding.UTF8.GetBytes(text))
        {
            if (IsUnreserved(b) || (keepSlash && b == '/'))
            {
                encoded.Append((char)b);
            }
            else
            {
                encoded.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return encoded.ToString();
    }

    private static bool IsUnreserved(byte b) =>
        b is (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'a' and <= (byte)'z') or (>= (byte)'0' and <= (byte)'9')
            or (byte)'-' or (byte)'.' or (byte)'_' or (byte)'~';
}
