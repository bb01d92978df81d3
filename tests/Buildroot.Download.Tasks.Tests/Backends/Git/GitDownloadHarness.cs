using System.Collections.Immutable;
using System.Security.Cryptography;
using Buildroot.Download.Tasks.Backends;
using Buildroot.Download.Tasks.Infrastructure;
using Buildroot.Download.Tasks.TestUtilities;

namespace Buildroot.Download.Tasks.Tests.Backends.Git;

/// <summary>
/// Runs the real <see cref="GitBackend"/> the way the download wrapper does: a package
/// download folder (where the cache lives) and a fresh scratch folder per download.
/// </summary>
internal sealed class GitDownloadHarness : IDisposable
{
    private int _downloads;

    public GitDownloadHarness(string hint = "git")
    {
        GitTestConfiguration.EnsureInstalled();
        Folder = new TemporaryFolder(hint);
    }

    public TemporaryFolder Folder { get; }

    public RecordingLog Log { get; } = new();

    /// <summary>The package's folder in the download dir; the cache is its <c>git/</c>.</summary>
    public string PackageDownloadFolder => Folder.Combine("dl", "pkg");

    public string CacheFolder => Path.Combine(PackageDownloadFolder, "git");

    public BackendRequest Request(string uri, string changeset, string? baseName = null) => new()
    {
        Uri = uri,
        Changeset = changeset,
        FileName = (baseName ?? $"pkg-{changeset}") + "-git4.tar.gz",
        BaseName = baseName ?? $"pkg-{changeset}",
        RawName = "pkg",
        PackageDownloadFolder = PackageDownloadFolder,
        ScratchFolder = Folder.Combine("scratch"),
        OutputPath = Folder.Combine("scratch", "out.tar.gz"),
        DlOpts = ImmutableArray<string>.Empty,
        Tools = new ToolPaths(),
        Runner = new ProcessRunner(Log),
        Log = Log,
    };

    /// <summary>Downloads into a scratch folder of its own and returns the archive's path.</summary>
    public async Task<string> DownloadAsync(BackendRequest request)
    {
        string scratch = Folder.Combine($"scratch-{++_downloads}");
        Directory.CreateDirectory(scratch);
        request = request with { ScratchFolder = scratch, OutputPath = Path.Combine(scratch, request.FileName) };
        await new GitBackend().FetchAsync(request, CancellationToken.None);
        return request.OutputPath;
    }

    public Task<string> DownloadAsync(string uri, string changeset, string? baseName = null) =>
        DownloadAsync(Request(uri, changeset, baseName));

    public static string Sha256Of(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path))).ToLowerInvariant();

    public void Dispose() => Folder.Dispose();
}
