using Buildroot.Download.Tasks.Packages;
using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Vendoring;

/// <summary>
/// The post-process for each <c>DownloadPostProcess</c> value (Buildroot's <c>FOO_DOWNLOAD_POST_PROCESS</c>).
/// They hold no state, so one of each serves every package and thread.
/// </summary>
internal static class PostProcessCatalog
{
    public const string Cargo = PostProcessNames.Cargo;
    public const string Go = PostProcessNames.Go;

    private static readonly CargoPostProcess CargoInstance = new();
    private static readonly GoPostProcess GoInstance = new();

    /// <summary>The post-process named <paramref name="name"/>; an unknown name is a coded error.</summary>
    public static IDownloadPostProcess Get(string name) => name switch
    {
        Cargo => CargoInstance,
        Go => GoInstance,
        _ => throw new BrdlException(
            FailureScope.Package,
            MessageCodes.UnknownPostProcess,
            $"Unknown download post-process '{name}': use {Cargo} or {Go}, or leave DownloadPostProcess empty."),
    };
}
