using System.Text.RegularExpressions;

namespace Buildroot.Download.Tasks.Infrastructure;

/// <summary>
/// Hides the user-info part of URLs (<c>https://user:token@host</c>) in anything we print:
/// credentials in a package's site must never reach a build log. Every message passes through
/// here, including ones that quote hostile input, so the matching runs in time linear in the
/// text (a backtracking pattern took minutes on a one-megabyte line).
/// </summary>
internal static partial class SecretRedactor
{
    public static string Redact(string text) => UserInfoInUrl().Replace(text, "$1***@");

    /// <summary>True when <paramref name="text"/> holds a URL with a password (<c>scheme://user:password@host</c>).</summary>
    public static bool HoldsPassword(string text) => PasswordInUrl().IsMatch(text);

    [GeneratedRegex(@"([a-zA-Z][a-zA-Z0-9+.\-]*://)[^/@\s]+@", RegexOptions.NonBacktracking)]
    private static partial Regex UserInfoInUrl();

    [GeneratedRegex(@"[a-zA-Z][a-zA-Z0-9+.\-]*://[^/@\s:]*:[^/@\s]+@", RegexOptions.NonBacktracking)]
    private static partial Regex PasswordInUrl();
}
