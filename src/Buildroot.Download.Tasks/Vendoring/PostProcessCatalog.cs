using Buildroot.Download.Tasks.Infrastructure;

namespace Buildroot.Download.Tasks.Vendoring;

/// <summary>
/// The post-processes a package may name in <c>DownloadPostProcess</c> (Buildroot's
/// <c>FOO_DOWNLOAD_POST_PROCESS</c>), with the format suffix each adds to a generated archive's name.
/// </summary>
internal static class PostProcessCatalog
{
    public const string Cargo = "cargo";
    public const string Go = "go";

    private static readonly CargoPostProcess CargoInstance = new();
    private static readonly GoPostProcess GoInstance = new();

    public static IReadOnlyList<string> Names { get; } = [Cargo, Go];

    /// <summary>The post-process named <paramref name="name"/>; an unknown name is a coded error.</summary>
    public static IDownloadPostProcess Get(string name) => TryGet(name) ?? throw new BrdlException(
        MessageCodes.UnknownPostProcess,
        $"Unknown download post-process '{name}': use {string.Join(" or ", Names)}, or leave DownloadPostProcess empty.");

    public static IDownloadPostProcess? TryGet(string? name) => name switch
    {
        Cargo => CargoInstance,
        Go => GoInstance,
        _ => null,
    };

    /// <summary>
    /// What the post-process adds to a generated archive's name (BEHAVIOUR.md, "Formats"):
    /// <c>-cargo6</c> or <c>-go2</c>, so that a change of format never meets an old hash.
    /// </summary>
    public static string FormatSuffix(string name) => name switch
    {
        Cargo => "-cargo6",
        Go => "-go2",
        _ => throw new BrdlException(MessageCodes.UnknownPostProcess, $"Unknown download post-process '{name}': use {string.Join(" or ", Names)}."),
    };
}
