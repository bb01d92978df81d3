using System.Collections.Immutable;
using Buildroot.Download.Tasks.Backends;

namespace Buildroot.Download.Tasks.Download;

/// <summary>
/// The table of download methods: the one place that says, for each method, which schemes
/// imply it, whether it is version control, whether it needs a site, whether its archives are
/// hash-checked, what its archives are named and which backend runs it. Adding a method is
/// adding a row here (and writing its backend).
/// </summary>
internal static partial class DownloadMethods
{
    public static readonly DownloadMethod Wget = Row("wget", ["http", "https"], Kind.PlainFile, siteOptional: true, backend: () => new WgetBackend());
    public static readonly DownloadMethod Git = Row("git", ["git"], Kind.VersionControl, suffix: "-git4", backend: () => new GitBackend());
    public static readonly DownloadMethod Svn = Row("svn", ["svn"], Kind.VersionControl, suffix: "-svn5", backend: () => new SvnBackend());
    public static readonly DownloadMethod Local = Row("local", [], Kind.InPlace);

    /// <summary>Every method, in the order messages list them.</summary>
    public static readonly ImmutableArray<DownloadMethod> All =
    [
        Wget,
        Row("curl", ["ftp", "ftps", "smb"], Kind.PlainFile, siteOptional: true, backend: () => new CurlBackend()),
        Git,
        Svn,

        // Their archives are not reproducible: Buildroot does not check their hashes.
        Row("hg", ["hg"], Kind.VersionControl, reproducible: false, backend: () => new HgBackend()),
        Row("bzr", ["bzr"], Kind.VersionControl, reproducible: false, backend: () => new BzrBackend()),
        Row("cvs", ["cvs"], Kind.VersionControl, reproducible: false, backend: () => new CvsBackend()),

        Row("scp", ["scp"], Kind.PlainFile, backend: () => new ScpBackend()),
        Row("sftp", ["sftp"], Kind.PlainFile, backend: () => new SftpBackend()),
        Row("file", ["file"], Kind.PlainFile, backend: () => new FileBackend()),
        Local,
    ];

    // Plain dictionaries, filled here and only read after: every package looks its method up,
    // and an ImmutableDictionary (a tree, and generic code of its own to compile) cost a build
    // with nothing to download some 25 ms of compiling on its first lookups.
    private static readonly Dictionary<string, DownloadMethod> ByName =
        All.ToDictionary(method => method.Name, StringComparer.Ordinal);

    private static readonly Dictionary<string, DownloadMethod> ByScheme = IndexBySchemes();

    /// <summary>The names, for messages: "wget, curl, git, …".</summary>
    public static string Names => string.Join(", ", All.Select(method => method.Name));

    /// <summary>The schemes that name a method, for messages: "http, https, ftp, …".</summary>
    public static string Schemes => string.Join(", ", All.SelectMany(method => method.Schemes));

    /// <summary>The method called <paramref name="name"/> (lower case), or null.</summary>
    public static DownloadMethod? Find(string name) => ByName.GetValueOrDefault(name);

    /// <summary>The method called <paramref name="name"/>; the name must be one the table holds.</summary>
    public static DownloadMethod Get(string name) =>
        Find(name) ?? throw new ArgumentOutOfRangeException(nameof(name), name, "Not a download method; names are validated when the package is read.");

    /// <summary>
    /// The method a site's scheme implies, as Buildroot decides it when no method is given; null
    /// when the scheme is one no method handles. A site without a scheme that starts with a host
    /// name (<c>ftp.example.org/pub</c>) is wget's to fetch, as in Buildroot (wget takes it as
    /// http); any other (<c>/srv/foo</c>, <c>git@host:repo</c>) needs a method.
    /// </summary>
    public static DownloadMethod? FromSite(string site) =>
        !site.Contains("://", StringComparison.Ordinal) && HostFirst().IsMatch(site)
            ? Wget
            : ByScheme.GetValueOrDefault(SchemeOf(site));

    /// <summary>
    /// The method as Buildroot's show-info spells it: <c>FOO_SITE_METHOD</c> as given, else
    /// <c>$(call geturischeme,$(FOO_SITE))</c> (<c>https</c>; the whole site when it has no scheme).
    /// </summary>
    public static string ShowInfoSpelling(string? givenMethod, string? site)
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
    /// The method that fetches <paramref name="uri"/> as a plain file: mirrors and full-URL extra
    /// downloads are fetched by scheme, whatever the package's own method; http is the default.
    /// </summary>
    public static DownloadMethod ForPlainFile(string uri) =>
        FromSite(uri) is { FetchesPlainFiles: true } method ? method : Wget;

    [System.Text.RegularExpressions.GeneratedRegex(@"\A[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(/|\z)")]
    private static partial System.Text.RegularExpressions.Regex HostFirst();

    private static DownloadMethod Row(
        string name,
        ImmutableArray<string> schemes,
        Kind kind,
        bool siteOptional = false,
        bool reproducible = true,
        string suffix = "",
        Func<IDownloadBackend>? backend = null) =>
        new(
            name,
            schemes,
            IsVersionControl: kind == Kind.VersionControl,
            FetchesPlainFiles: kind == Kind.PlainFile,
            NeedsSite: !siteOptional,
            HashesCanBeChecked: reproducible,
            ArchiveSuffix: suffix,
            CreateBackend: backend);

    private static Dictionary<string, DownloadMethod> IndexBySchemes()
    {
        var byScheme = new Dictionary<string, DownloadMethod>(StringComparer.Ordinal);
        foreach (DownloadMethod method in All)
        {
            foreach (string scheme in method.Schemes)
            {
                byScheme.Add(scheme, method); // a scheme names one method: a second row throws here
            }
        }

        return byScheme;
    }

    private static string SchemeOf(string uri)
    {
        int separator = uri.IndexOf("://", StringComparison.Ordinal);
        return separator > 0 ? uri[..separator].ToLowerInvariant() : string.Empty;
    }

    private enum Kind
    {
        /// <summary>Fetches one file by URL (so mirrors can serve it too).</summary>
        PlainFile,

        /// <summary>Checks out a changeset and archives it.</summary>
        VersionControl,

        /// <summary>Uses a folder where it is: nothing to download.</summary>
        InPlace,
    }
}
