namespace Buildroot.Download.Tasks.Backends;

/// <summary>
/// The external programs the package may run, each a name on PATH or a path the user set
/// through the matching <c>Buildroot…Path</c> MSBuild property.
/// </summary>
internal sealed record ToolPaths
{
    public string Git { get; init; } = "git";

    public string Svn { get; init; } = "svn";

    public string Hg { get; init; } = "hg";

    public string Bzr { get; init; } = "brz";

    public string Cvs { get; init; } = "cvs";

    public string Curl { get; init; } = "curl";

    /// <summary>Run only for http(s) packages with <c>DlOpts</c> (which are wget options), and for ftp through the wget method.</summary>
    public string Wget { get; init; } = "wget";

    public string Scp { get; init; } = "scp";

    public string Sftp { get; init; } = "sftp";

    public string Gzip { get; init; } = "gzip";

    public string Tar { get; init; } = "tar";

    public string Cargo { get; init; } = "cargo";

    public string Go { get; init; } = "go";
}
