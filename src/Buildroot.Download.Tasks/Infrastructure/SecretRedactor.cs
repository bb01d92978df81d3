using System.Text.RegularExpressions;

namespace Buildroot.Download.Tasks.Infrastructure;

/// <summary>
/// Hides the user-info part of URLs (<c>https://user:token@host</c>) in anything we print:
/// credentials in a package's site must never reach a build log.
/// </summary>
internal static partial class SecretRedactor
{
    public static string Redact(string text) => UserInfoInUrl().Replace(text, "$1***@");

    /// <summary>True when <paramref name="text"/> holds a URL with a password (<c>scheme://user:password@host</c>).</summary>
    public static bool HoldsPassword(string text) => PasswordInUrl().IsMatch(text);

    [GeneratedRegex(@"([a-zA-Z][a-zA-Z0-9+.\-]*://)[^/@\s]+@")]
    private static partial Regex UserInfoInUrl();

    [GeneratedRegex(@"[a-zA-Z][a-zA-Z0-9+.\-]*://[^/@\s:]*:[^/@\s]+@")]
    private static partial Regex PasswordInUrl();
}
