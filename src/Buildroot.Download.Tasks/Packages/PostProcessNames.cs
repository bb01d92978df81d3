namespace Buildroot.Download.Tasks.Packages;

/// <summary>The values <c>DownloadPostProcess</c> (Buildroot's <c>FOO_DOWNLOAD_POST_PROCESS</c>) takes.</summary>
internal static class PostProcessNames
{
    public const string Cargo = "cargo";

    public const string Go = "go";
}
