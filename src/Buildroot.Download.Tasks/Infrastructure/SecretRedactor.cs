using System.Text.RegularExpressions;

namespace Buildroot.Download.Tasks.Infrastructure;

/// <summary>
/// Hides credentials in anything we print: the user-info part of URLs
/// (<c>https://user:token@host</c>) and the values of query parameters that carry a signature
/// or a token (an Azure SAS token's <c>sig=</c>, a presigned S3 URL's <c>X-Amz-Signature=</c>,
/// <c>X-Amz-Credential=</c> and <c>X-Amz-Security-Token=</c>, <c>access_token=</c>, …):
/// a package's site or an asset cache URL must never bring a secret into a build log.
/// Every message passes through here, including ones that quote hostile input, so the matching
/// runs in time linear in the text (a backtracking pattern took minutes on a one-megabyte line).
/// Text that holds neither <c>@</c> nor <c>=</c> (nearly all of it) cannot match any pattern and
/// is passed without one: building a non-backtracking pattern costs tens of milliseconds, which a
/// build with nothing to download, checking every package's metadata, would pay for nothing.
/// </summary>
internal static partial class SecretRedactor
{
    public static string Redact(string text)
    {
        // User info needs an '@', a secret query value an '='.
        if (!text.AsSpan().ContainsAny('@', '='))
        {
            return text;
        }

        return SecretQueryValue().Replace(UserInfoInUrl().Replace(text, "$1***@"), "$1***");
    }

    /// <summary>True when <paramref name="text"/> holds a URL with a password (<c>scheme://user:password@host</c>).</summary>
    public static bool HoldsPassword(string text) => text.Contains('@', StringComparison.Ordinal) && PasswordInUrl().IsMatch(text);

    [GeneratedRegex(@"([a-zA-Z][a-zA-Z0-9+.\-]*://)[^/@\s]+@", RegexOptions.NonBacktracking)]
    private static partial Regex UserInfoInUrl();

    [GeneratedRegex(@"[a-zA-Z][a-zA-Z0-9+.\-]*://[^/@\s:]*:[^/@\s]+@", RegexOptions.NonBacktracking)]
    private static partial Regex PasswordInUrl();

    // A parameter name after ? or &, then its value up to the next &, # or blank.
    [GeneratedRegex(
        @"([?&](?:sig|signature|x-amz-signature|x-amz-credential|x-amz-security-token|x-goog-signature|x-goog-credential|access_token|token|password|secret|key)=)[^&#\s""'<>]+",
        RegexOptions.IgnoreCase | RegexOptions.NonBacktracking)]
    private static partial Regex SecretQueryValue();
}
