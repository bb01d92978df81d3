namespace Buildroot.Download.Tasks.Packages;

/// <summary>The download methods (Buildroot's <c>FOO_SITE_METHOD</c>) and what follows from each.</summary>
internal static partial class SiteMethods
{
    /// <summary>Every method Buildroot has a backend for, plus <c>local</c> (a folder used in place).</summary>
    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        "wget", "curl", "git", "svn", "hg", "bzr", "cvs", "scp", "sftp", "file", "local",
    };

    private static readonly IReadOnlySet<string> VersionControl = new HashSet<string>(StringComparer.Ordinal)
    {
        "git", "svn", "hg", "bzr", "cvs",
    };

    /// <summary>Methods that fetch one file by URL: they alone can do without a site (mirrors serve the file).</summary>
    private static readonly IReadOnlySet<string> SiteOptional = new HashSet<string>(StringComparer.Ordinal) { "wget", "curl" };

    /// <summary>The version is a changeset and the archive is generated, so a version is always needed.</summary>
    public static bool IsVersionControl(string method) => VersionControl.Contains(method);

    public static bool NeedsSite(string method) => !SiteOptional.Contains(method);

    /// <summary>
    /// The method a site's scheme implies, as Buildroot's <c>geturischeme</c> and the dl-wrapper
    /// decide it; null when the scheme is one no method handles. A site without a scheme that
    /// starts with a host name (<c>ftp.example.org/pub</c>) is wget's to fetch, as in Buildroot
    /// (wget takes it as http); any other (<c>/srv/foo</c>, <c>git@host:repo</c>) needs a method.
    /// </summary>
    public static string? FromSite(string site)
    {
        int separator = site.IndexOf("://", StringComparison.Ordinal);
        if (separator < 0)
        {
            return HostFirst().IsMatch(site) ? "wget" : null;
        }

        if (separator == 0)
        {
            return null;
        }

        return site[..separator].ToLowerInvariant() switch
        {
            "http" or "https" => "wget",
            "ftp" or "ftps" or "smb" => "curl",
            "file" => "file",
            "scp" or "sftp" or "git" or "svn" or "hg" or "bzr" or "cvs" => site[..separator].ToLowerInvariant(),
            _ => null,
        };
    }

    /// <summary>
    /// The method as Buildroot's show-info spells it: <c>FOO_SITE_METHOD</c> as given, else
    /// <c>$(call geturischeme,$(FOO_SITE))</c> (<c>https</c>; the whole site when it has no scheme).
    /// </summary>
    public static string BuildrootSpelling(string? givenMethod, string? site)
    {
        if (givenMethod is not null)
        {
            return givenMethod;
        }

        string unquoted = (site ?? string.Empty).Replace("\"", string.Empty, StringComparison.Ordinal).Trim();
        int separator = unquoted.IndexOf("://", StringComparison.Ordinal);
        return separator < 0 ? unquoted : unquoted[..separator];
    }

    /// <summary>
    /// The suffix naming the format of archives a method generates (<c>-git4</c>, <c>-svn5</c>),
    /// so that a change of format never meets a hash recorded for the old one.
    /// </summary>
    public static string ArchiveFormatSuffix(string method) => method switch
    {
        "git" => "-git4",
        "svn" => "-svn5",
        _ => string.Empty,
    };

    /// <summary>The same for the vendoring post-processes: <c>-cargo6</c>, <c>-go2</c>.</summary>
    public static string PostProcessFormatSuffix(string? postProcess) => postProcess switch
    {
        PostProcessNames.Cargo => "-cargo6",
        PostProcessNames.Go => "-go2",
        _ => string.Empty,
    };

    [System.Text.RegularExpressions.GeneratedRegex(@"\A[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(/|\z)")]
    private static partial System.Text.RegularExpressions.Regex HostFirst();
}
