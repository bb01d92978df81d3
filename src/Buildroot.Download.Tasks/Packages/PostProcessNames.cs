namespace Buildroot.Download.Tasks.Packages;

/// <summary>The values <c>DownloadPostProcess</c> (Buildroot's <c>FOO_DOWNLOAD_POST_PROCESS</c>) takes.</summary>
internal static class PostProcessNames
{
    public const string Cargo = "cargo";

    public const string Go = "go";

    /// <summary>
    /// The suffix naming the format of archives a post-process rewrites (<c>-cargo6</c>, <c>-go2</c>),
    /// so that a change of format never meets a hash recorded for the old one.
    /// </summary>
    public static string FormatSuffix(string? postProcess) => postProcess switch
    {
        Cargo => "-cargo6",
        Go => "-go2",
        _ => string.Empty,
    };
}
