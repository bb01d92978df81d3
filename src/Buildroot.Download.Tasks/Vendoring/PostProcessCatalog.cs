using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Vendoring;

/// <summary>The post-process for each <c>DownloadPostProcess</c> value.</summary>
internal static class PostProcessCatalog
{
    public static IDownloadPostProcess For(string name) =>
        throw new BrdlException(MessageCodes.UnknownPostProcess, $"No post-process named '{name}'.");
}
