using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Backends;

/// <summary>
/// The git transports a package may use: http, https, ssh, git and file. Others run programs
/// (<c>ext::&lt;command&gt;</c> runs any command), talk over inherited file descriptors
/// (<c>fd::</c>, which waits for ever), or hand the URL to whatever <c>git-remote-&lt;name&gt;</c>
/// helper is installed: no package means them. A package's site is refused early, by its
/// transport; git itself enforces the same list for everything it fetches, submodules included,
/// through <c>GIT_ALLOW_PROTOCOL</c>.
/// </summary>
internal static class GitTransports
{
    /// <summary>Transports allowed for the package's own site, as git names them.</summary>
    public const string AllowList = "http:https:ssh:git:file";

    /// <summary>
    /// Transports allowed for submodules when the user's git config does not allow <c>file</c> for
    /// them: since git 2.38.1 a submodule may not be cloned from a local path unless
    /// <c>protocol.file.allow=always</c> (a hostile repository could otherwise pull files of this
    /// machine into the archive), and the allow list must not undo that.
    /// </summary>
    public const string AllowListWithoutFile = "http:https:ssh:git";

    private static readonly string[] Allowed = AllowList.Split(':');

    /// <summary>
    /// The transport git would use for <paramref name="url"/>, by git's own rules
    /// (<c>transport.c</c>, <c>connect.c</c>): <c>&lt;name&gt;::&lt;address&gt;</c> is the remote helper
    /// <c>&lt;name&gt;</c>; <c>&lt;scheme&gt;://</c> is that scheme (<c>ssh+git</c> and <c>git+ssh</c> are ssh);
    /// <c>host:path</c> with the colon before any slash is ssh; anything else is a local path.
    /// </summary>
    public static string Of(string url)
    {
        int schemeEnd = 0;
        while (schemeEnd < url.Length && IsSchemeCharacter(url[schemeEnd], schemeEnd == 0))
        {
            schemeEnd++;
        }

        string scheme = url[..schemeEnd];
        if (schemeEnd > 0 && url.AsSpan(schemeEnd).StartsWith("::"))
        {
            return scheme;
        }

        if (schemeEnd > 0 && url.AsSpan(schemeEnd).StartsWith("://"))
        {
            return scheme.ToLowerInvariant() switch
            {
                "ssh+git" or "git+ssh" => "ssh",
                string known => known,
            };
        }

        int colon = url.IndexOf(':', StringComparison.Ordinal);
        int slash = url.IndexOf('/', StringComparison.Ordinal);
        return colon > 0 && (slash < 0 || colon < slash) ? "ssh" : "file";
    }

    /// <summary>Refuses a git site whose transport is not one of <see cref="AllowList"/>: no site can help the package.</summary>
    public static void RefuseUnmeant(string site, string packageName)
    {
        string transport = Of(site);
        if (!Allowed.Contains(transport, StringComparer.Ordinal))
        {
            throw new BrdlException(
                FailureScope.Package,
                MessageCodes.GitTransportRefused,
                $"Package '{packageName}': the git site '{SecretRedactor.Redact(Shorten(site))}' uses the git transport '{Shorten(transport)}', which is refused: " +
                "only http, https, ssh, git and file (a local path) are allowed (ext:: would run a command, fd:: waits for ever, others are remote helpers). Give the repository's URL.");
        }
    }

    // git: a letter first, then letters, digits, '+', '-' and '.'.
    private static bool IsSchemeCharacter(char c, bool first) =>
        char.IsAsciiLetter(c) || (!first && (char.IsAsciiDigit(c) || c is '+' or '-' or '.'));

    private static string Shorten(string text) => text.Length > 80 ? text[..80] + "…" : text;
}
